package cluster

import (
	"context"
	"fmt"

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

	mu      rt.Mutex
	peers   map[rt.NodeID]*peer
	hist    *layout.History // copy-on-write: never modified once installed
	enc     []byte          // hist's canonical encoding
	digest  Digest
	guards  map[uint64]int // in-flight writes by the version they began under
	pushes  map[rt.NodeID]*pushState
	subs    []func(*layout.History)
	space   Space
	tables  []*tableSync   // one per Sharded or Full handle
	shard   table.Sharding // ShardingOf(shardOf), cached
	shardOf *layout.History
}

// New loads the node's persisted peers and layout (or starts from an empty
// history with cfg.Replication and cfg.PartitionBits), adds the bootstrap
// peers, registers the cluster's RPC handlers and spawns its ping and
// status loops. It fails on a malformed bootstrap peer or persisted state.
func New(env rt.Env, cfg Config) (*Cluster, error) {
	cfg = cfg.withDefaults()
	boot, err := ParsePeers(cfg.Bootstrap)
	if err != nil {
		return nil, fmt.Errorf("cluster: bootstrap: %w", err)
	}
	c := &Cluster{env: env, cfg: cfg, self: env.ID, mu: env.Tasks.NewMutex(),
		peers: map[rt.NodeID]*peer{}, guards: map[uint64]int{},
		pushes: map[rt.NodeID]*pushState{}, space: cfg.Space}
	if err := c.load(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if _, err := c.learn(boot, false); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if err := c.changeLayout(func(*layout.History) (bool, error) { return false, nil }, false); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c.register()
	env.Tasks.Spawn("cluster-ping-loop", c.pingLoop)
	env.Tasks.Spawn("cluster-status-loop", c.statusLoop)
	return c, nil
}

// ID returns this node's id.
func (c *Cluster) ID() rt.NodeID { return c.self }

func (c *Cluster) register() {
	c.env.Net.Handle(EndpointPing, c.handlePing)
	c.env.Net.Handle(EndpointStatus, c.handleStatus)
	c.env.Net.Handle(EndpointLayoutPull, c.handleLayoutPull)
	c.env.Net.Handle(EndpointLayoutPush, c.handleLayoutPush)
}

// load reads the persisted history and peers into c.
func (c *Cluster) load() error {
	var hb, pb []byte
	err := c.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		if hb, err = getCopy(tx, keyLayout); err != nil {
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
	for _, p := range ps {
		if p.ID != c.self {
			c.peers[p.ID] = &peer{info: p}
			c.tellAddrBook(p)
		}
	}
	return nil
}

func (c *Cluster) tellAddrBook(p PeerInfo) {
	if c.cfg.AddrBook != nil && p.Addr != "" {
		c.cfg.AddrBook.AddPeer(p.ID, p.Addr)
	}
}

// savePeersLocked persists the peer list. c.mu is held.
func (c *Cluster) savePeersLocked() error {
	ps := make([]PeerInfo, 0, len(c.peers))
	for _, id := range sortedKeys(c.peers) {
		ps = append(ps, c.peers[id].info)
	}
	return c.persist(keyPeers, encodePeers(ps))
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
