package daemon

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/gogarage/garage/node/admin"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/boltkv"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3"
)

// DBFile is the name of the bbolt database inside metadata_dir.
const DBFile = "db.bolt"

// Daemon is a running node: its real ports (host.Node) and the node they
// carry (garage.Node), assembled by garage.New as in the simulator.
type Daemon struct {
	cfg  Config
	log  *slog.Logger
	key  ed25519.PrivateKey
	node *host.Node
	g    *garage.Node
	// ready holds g once assembled, for callbacks of the real ports that
	// may run before.
	ready atomic.Pointer[garage.Node]

	admin    *admin.Server
	adminLn  net.Listener
	adminSrv *http.Server
	s3       s3Servers

	stop context.CancelFunc
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

// Run starts a daemon from cfg and serves until ctx is done, then shuts it
// down gracefully.
func Run(ctx context.Context, cfg Config) error {
	d, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	<-ctx.Done()
	d.log.Info("shutting down")
	return d.Close()
}

// Start starts a daemon from a configuration checked by Load. It returns
// once the node listens; ctx bounds the node's lifetime.
func Start(ctx context.Context, cfg Config) (*Daemon, error) {
	d := &Daemon{cfg: cfg, log: cfg.Log}
	if d.log == nil {
		d.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if err := d.start(ctx); err != nil {
		if d.node != nil {
			d.node.Close()
		}
		return nil, err
	}
	return d, nil
}

func (d *Daemon) start(ctx context.Context) error {
	key, err := nodekey.LoadOrCreate(d.cfg.MetadataDir)
	if err != nil {
		return fmt.Errorf("node key in %s: %w", d.cfg.MetadataDir, err)
	}
	d.key = key
	if err := d.startNode(ctx); err != nil {
		return err
	}
	gcfg, err := d.garageConfig()
	if err != nil {
		return fmt.Errorf("start node: %w", err)
	}
	g, err := garage.New(d.node.Env, gcfg)
	if err != nil {
		return fmt.Errorf("start node: %w", err)
	}
	d.g = g
	d.ready.Store(g)
	d.startSpace()
	if err := d.startS3(); err != nil {
		d.stopS3()
		d.stop()
		d.wg.Wait()
		return err
	}
	if err := d.startAdmin(); err != nil {
		d.stop()
		d.wg.Wait()
		return err
	}
	d.log.Info("node started", "id", d.ID(), "rpc", d.node.Net.Addr(), "public", d.cfg.RPCPublicAddr)
	return nil
}

// startNode opens the metadata database and starts the real ports with
// the secret handshake on every connection.
func (d *Daemon) startNode(ctx context.Context) error {
	db, err := boltkv.Open(filepath.Join(d.cfg.MetadataDir, DBFile), boltkv.Options{Fsync: d.cfg.MetadataFsync})
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%w (is another garage server using metadata_dir %s?)", err, d.cfg.MetadataDir)
	}
	if err != nil {
		return fmt.Errorf("open metadata database: %w", err)
	}
	d.node, err = host.Start(host.Config{
		ID:  nodekey.ID(d.key.Public().(ed25519.PublicKey)),
		Dir: d.cfg.PrimaryDataDir(),
		Net: host.NetConfig{Listen: d.cfg.RPCBindAddr, ConnHook: secconn.Hook(d.cfg.Secret, d.key),
			WrapConn: d.cfg.WrapConn, PeerClosed: d.peerLost, Log: d.log.With("part", "net")},
		KV: db, Faults: faults(), Log: d.log, Context: ctx,
	})
	if err != nil {
		db.Close()
		return fmt.Errorf("start node on %s: %w", d.cfg.RPCBindAddr, err)
	}
	return nil
}

// faults arms failpoints from GO_FAILPOINTS, and only when it is set.
func faults() rt.Faults {
	if os.Getenv("GO_FAILPOINTS") == "" {
		return nil
	}
	return fail.Real()
}

// garageConfig is the world-neutral part of the configuration, for
// garage.New.
func (d *Daemon) garageConfig() (garage.Config, error) {
	hostname, _ := os.Hostname()
	t := d.cfg.Tuning
	bc, err := d.cfg.blockConfig()
	if err != nil {
		return garage.Config{}, err
	}
	return garage.Config{Cluster: cluster.Config{
		Bootstrap: d.cfg.BootstrapPeers, Addr: d.cfg.RPCPublicAddr,
		Hostname: hostname, Space: d.space(), Replication: d.cfg.ReplicationFactor, Mode: d.cfg.Mode,
		PingInterval: t.PingInterval, StatusInterval: t.StatusInterval, FailAfter: t.FailAfter,
	}, Block: bc,
		S3: s3.Config{Region: d.cfg.S3API.S3Region, RootDomain: d.cfg.S3API.RootDomain}}, nil
}

// ID returns the node's id: the hex of its public key.
func (d *Daemon) ID() rt.NodeID { return d.node.Env.ID }

// Addr returns the address the node listens on.
func (d *Daemon) Addr() string { return d.node.Net.Addr() }

// Node returns the assembled node.
func (d *Daemon) Node() *garage.Node { return d.g }

// Cluster returns the node's membership and layout state.
func (d *Daemon) Cluster() *cluster.Cluster { return d.g.Cluster() }

// Close stops the node: its goroutines, connections and database. It is
// idempotent.
func (d *Daemon) Close() error {
	d.once.Do(func() {
		d.stopAdmin()
		d.stopS3()
		if d.stop != nil {
			d.stop()
		}
		d.wg.Wait()
		d.err = d.node.Close()
		if errors.Is(d.err, context.Canceled) {
			d.err = nil
		}
		d.log.Info("node stopped", "id", d.ID().Short())
	})
	return d.err
}

// peerDowner is the membership's PeerDown, where it has one: a peer whose
// connection closed is suspected at once instead of after missed pings.
type peerDowner interface {
	PeerDown(id rt.NodeID)
}

// peerLost passes the news of a closed peer connection to the membership,
// if it takes it; otherwise the failure detector's pings find out.
func (d *Daemon) peerLost(id rt.NodeID, err error) {
	d.log.Debug("peer connection lost", "peer", id.Short(), "err", err)
	g := d.ready.Load()
	if g == nil {
		return
	}
	if pd, ok := any(g.Cluster()).(peerDowner); ok {
		pd.PeerDown(id)
	}
}
