package experiments

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/boltkv"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// RealOptions tunes a run on real nodes.
type RealOptions struct {
	// Dir holds the nodes' metadata; empty means a temporary directory,
	// removed afterwards.
	Dir string
	// Fsync makes every metadata commit durable before it is acknowledged.
	Fsync bool
}

// realCluster is a set of real nodes on loopback TCP whose links are
// shaped by a netem model.
type realCluster struct {
	shaper *netem.Shaper
	nodes  []*host.Node
	stores []*table.Store
}

// model builds the network model of cfg (the same the simulator uses).
func (cfg RegisterConfig) model() *netem.Model {
	m := netem.New()
	for i, id := range nodeIDs(cfg.Nodes) {
		m.AddNode(string(id), fmt.Sprintf("z%d", i%max(cfg.Zones, 1)+1))
	}
	m.SetRTT(netem.AllLinks(), cfg.RTT)
	m.SetJitter(netem.AllLinks(), netem.Uniform{Width: cfg.Jitter / 2})
	return m
}

func startReal(cfg RegisterConfig, opts RealOptions, dir string) (*realCluster, error) {
	c := &realCluster{shaper: netem.NewShaper(cfg.model(), cfg.Seed)}
	ids := nodeIDs(cfg.Nodes)
	ring := &table.Ring{Nodes: ids, RF: cfg.RF, Mode: cfg.Mode}
	for _, id := range ids {
		nd, err := c.startNode(id, filepath.Join(dir, string(id)), opts)
		if err != nil {
			c.close()
			return nil, err
		}
		c.nodes = append(c.nodes, nd)
		c.stores = append(c.stores, table.New(nd.Env, ring, table.Options{NaiveTimestamps: cfg.NaiveTimestamps}))
	}
	for _, a := range c.nodes {
		for _, b := range c.nodes {
			a.Net.AddPeer(b.Net.ID(), b.Net.Addr())
		}
	}
	return c, nil
}

func (c *realCluster) startNode(id rt.NodeID, dir string, opts RealOptions) (*host.Node, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	kv, err := boltkv.Open(filepath.Join(dir, "meta.db"), boltkv.Options{Fsync: opts.Fsync})
	if err != nil {
		return nil, err
	}
	wrap := func(conn net.Conn, from, to rt.NodeID) net.Conn {
		sc, err := c.shaper.Wrap(conn, string(from), string(to))
		if err != nil {
			return conn
		}
		return sc
	}
	return host.Start(host.Config{ID: id, KV: kv,
		Net: host.NetConfig{Listen: "127.0.0.1:0", WrapConn: wrap}})
}

func (c *realCluster) close() {
	for _, nd := range c.nodes {
		nd.Close()
	}
	c.shaper.Close()
}

// RunRegisterReal runs the register workload of cfg on real nodes over
// loopback TCP, with the same network model applied by the netem shaper.
// Nothing is deterministic here; the result's TraceHash and Steps are zero.
func RunRegisterReal(cfg RegisterConfig, opts RealOptions) (RegisterResult, error) {
	dir := opts.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "garage-real-")
		if err != nil {
			return RegisterResult{}, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	c, err := startReal(cfg, opts, dir)
	if err != nil {
		return RegisterResult{}, fmt.Errorf("start nodes: %w", err)
	}
	defer c.close()
	start := time.Now()
	h := NewHistory(map[string]string{"scenario": "register", "mode": "real", "seed": fmt.Sprint(cfg.Seed)})
	var wg sync.WaitGroup
	for i := range cfg.Workload.Clients {
		node := i % len(c.nodes)
		wg.Go(func() {
			cfg.Workload.runClient(context.Background(), i, c.nodes[node].Env, host.NewRand(),
				func() *table.Store { return c.stores[node] }, h)
		})
	}
	wg.Wait()
	wall := time.Since(start)
	return RegisterResult{Seed: cfg.Seed, Virtual: wall, Wall: wall, Ops: h.Ops(), History: h.Rec.History()}, nil
}
