package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Cluster is one node's membership and layout state: its peers, their
// liveness and RTT, and its layout history. All methods are safe for use by
// the node's tasks.
type Cluster struct {
	env  rt.Env
	cfg  Config
	self rt.NodeID

	mu    rt.Mutex
	peers map[rt.NodeID]*peer
	ids   []rt.NodeID // sorted keys of peers
	nUp   int         // peers up
	inc   uint64      // this node's incarnation
	// published is this node's status as last advertised, at version
	// statusVersion(inc, statusSeq).
	published NodeStatus
	statusSeq uint64
	sumCache  Digest // sumOf(stampsLocked()) while sumOK
	sumOK     bool
	suspects  map[rt.NodeID]bool
	rumors    rumors
	rumorWait rt.Event // set when a rumor is queued: the gossip loop waits on it
	tombs     map[rt.NodeID]tomb
	order     []rt.NodeID // the probe round: a permutation of the peers
	next      int         // index in order of the next peer to probe

	hist        *layout.History // copy-on-write: never modified once installed
	enc         []byte          // hist's canonical encoding
	digest      Digest
	reconciling bool // a layout reconciliation is running
	// nextReconcile is the Clock.Mono before which none starts.
	nextReconcile time.Duration
	held          []Digest // digests of histories hist holds (holdLocked)
	heldNext      int
	guards        []guardCount // in-flight writes by the version they began under (one or two versions)
	pushes        map[rt.NodeID]*pushState
	subs          []func(*layout.History)
	changed       rt.Event // set, and replaced, at every change of hist (LayoutChanged)
	space         Space
	tables        []*tableSync   // one per Sharded or Full handle
	shard         table.Sharding // ShardingOf(shardOf), cached
	shardOf       *layout.History
	shardKey      [2]uint64      // liveVersions(shardOf) when shard was computed
	fullShard     table.Sharding // the fully replicated tables' Sharding of fullOf, cached
	fullOf        *layout.History
	readVer       *layout.Version // readOf.ReadVersion(), cached: reads ask for it every time
	readOf        *layout.History
}

// New loads the node's persisted peers, incarnation and layout (or starts
// from an empty history with cfg.Replication and cfg.PartitionBits), adds
// the bootstrap peers and pings them, registers the cluster's RPC handlers
// and spawns its probe, gossip and status loops. It fails on a malformed
// bootstrap peer or persisted state.
func New(env rt.Env, cfg Config) (*Cluster, error) {
	cfg = cfg.withDefaults()
	boot, err := ParsePeers(cfg.Bootstrap)
	if err != nil {
		return nil, fmt.Errorf("cluster: bootstrap: %w", err)
	}
	c := &Cluster{env: env, cfg: cfg, self: env.ID, mu: env.Tasks.NewMutex(),
		peers: map[rt.NodeID]*peer{}, suspects: map[rt.NodeID]bool{}, rumors: newRumors(),
		tombs:  map[rt.NodeID]tomb{},
		pushes: map[rt.NodeID]*pushState{}, space: cfg.Space, changed: env.Tasks.NewEvent()}
	if err := c.load(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if err := c.saveIncarnation(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c.learn(boot)
	if err := c.changeLayout(func(*layout.History) (bool, error) { return false, nil }, false); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c.refreshSelf()
	c.register()
	for _, p := range boot {
		env.Tasks.Spawn("cluster-ping", func(ctx context.Context) { _ = c.ping(ctx, p.ID) })
	}
	env.Tasks.Spawn("cluster-probe-loop", c.probeLoop)
	env.Tasks.Spawn("cluster-gossip-loop", c.gossipLoop)
	env.Tasks.Spawn("cluster-status-loop", c.statusLoop)
	return c, nil
}

// ID returns this node's id.
func (c *Cluster) ID() rt.NodeID { return c.self }

func (c *Cluster) register() {
	c.env.Net.Handle(EndpointPing, c.handlePing)
	c.env.Net.Handle(EndpointPingReq, c.handlePingReq)
	c.env.Net.Handle(EndpointStatus, c.handleStatus)
	c.env.Net.Handle(EndpointStatusSync, c.handleStatusSync)
	c.env.Net.Handle(EndpointLayoutPull, c.handleLayoutPull)
	c.env.Net.Handle(EndpointLayoutPush, c.handleLayoutPush)
}

// statusLoop, each StatusInterval (±10 %), publishes this node's status if
// it changed, forgets the peers gone for ForgetAfter, and exchanges status
// with one random peer.
func (c *Cluster) statusLoop(ctx context.Context) {
	for {
		if c.env.Clock.Sleep(ctx, c.jitter(c.cfg.StatusInterval)) != nil {
			return
		}
		c.refreshSelf()
		c.forgetExpired()
		if id, ok := c.statusTarget(); ok {
			c.spawn("cluster-status", func(ctx context.Context) { c.exchange(ctx, id) })
		}
	}
}

// load reads the persisted history, incarnation and peers into c. The
// incarnation of this boot is one more than the last one persisted.
func (c *Cluster) load() error {
	var hb, pb, ib []byte
	err := c.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		if hb, err = getCopy(tx, keyLayout); err != nil {
			return err
		}
		if ib, err = getCopy(tx, keyIncarnation); err != nil {
			return err
		}
		pb, err = getCopy(tx, keyPeers)
		return err
	})
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	if err := c.loadHistory(hb); err != nil {
		return err
	}
	if len(ib) == 8 {
		c.inc = binary.BigEndian.Uint64(ib)
	}
	c.inc++
	return c.loadPeers(pb)
}

func getCopy(tx rt.ReadTx, key string) ([]byte, error) {
	b, err := tx.Get(Tree, []byte(key))
	if b == nil || err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

func (c *Cluster) loadHistory(b []byte) error {
	var h *layout.History
	var err error
	if b == nil {
		h, err = layout.NewHistory(c.cfg.Replication, c.cfg.PartitionBits)
	} else {
		h, err = layout.DecodeHistory(b)
	}
	if err != nil {
		return fmt.Errorf("load layout: %w", err)
	}
	enc, err := h.Encode()
	if err != nil {
		return fmt.Errorf("load layout: %w", err)
	}
	c.hist, c.enc, c.digest = h, enc, digestOf(enc)
	c.holdLocked(c.digest)
	return nil
}

func (c *Cluster) loadPeers(b []byte) error {
	if b == nil {
		return nil
	}
	ps, err := decodePeers(b)
	if err != nil {
		return fmt.Errorf("load peers: %w", err)
	}
	var fx effects
	c.mu.Lock()
	for _, p := range ps {
		c.observeLocked(update{ID: p.ID, Addr: p.Addr}, fromAdmin, 0, &fx)
	}
	c.mu.Unlock()
	for _, p := range fx.addrs {
		c.tellAddrBook(p)
	}
	return nil
}

func (c *Cluster) tellAddrBook(p PeerInfo) {
	if c.cfg.AddrBook != nil && p.Addr != "" {
		c.cfg.AddrBook.AddPeer(p.ID, p.Addr)
	}
}

// savePeers persists the peer list.
func (c *Cluster) savePeers() {
	c.mu.Lock()
	ps := make([]PeerInfo, 0, len(c.ids))
	for _, id := range c.ids {
		ps = append(ps, c.peers[id].info)
	}
	c.mu.Unlock()
	if err := c.persist(keyPeers, encodePeers(ps)); err != nil {
		c.env.Log.Warn("saving peers failed", "err", err)
	}
}

// saveIncarnation persists this node's incarnation, so that the next boot
// starts above it.
func (c *Cluster) saveIncarnation() error {
	c.mu.Lock()
	b := binary.BigEndian.AppendUint64(nil, c.inc)
	c.mu.Unlock()
	err := c.persist(keyIncarnation, b)
	if err != nil {
		c.env.Log.Warn("saving incarnation failed", "err", err)
	}
	return err
}

// persist writes one key of the cluster tree and syncs it.
func (c *Cluster) persist(key string, val []byte) error {
	err := c.env.KV.Update(func(tx rt.Tx) error { return tx.Put(Tree, []byte(key), val) })
	if err == nil {
		err = c.env.KV.Sync()
	}
	if err != nil {
		return fmt.Errorf("persist %s: %w", key, err)
	}
	return nil
}

// spawn runs fn in a new task of the node.
func (c *Cluster) spawn(name string, fn func(ctx context.Context)) {
	c.env.Tasks.Spawn(name, fn)
}
