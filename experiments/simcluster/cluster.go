package simcluster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

// Capacity is the capacity every storage node gets (1 TB).
const Capacity = 1e12

// Config describes a simulated cluster.
type Config struct {
	Nodes int // cluster size (5)
	Zones int // zones the nodes are spread over (1: all in one)
	RF    int // replication factor (3)
	Mode  table.Mode
	// RTT and Jitter shape every link: RTT ± Jitter round trips.
	RTT, Jitter time.Duration
	// IntraZoneRTT, if positive, is the round trip between two nodes of
	// one zone instead (without jitter): 0.5 ms for data centres.
	IntraZoneRTT time.Duration
	// Bandwidth, if positive, is every link's rate in bytes per second
	// (unlimited if 0).
	Bandwidth float64
	// Spares is how many of the Nodes (the last ones) boot without a role,
	// for layout changes to add.
	Spares int
	// Controls are negative controls passed to every node.
	Controls garage.Controls
	// Tables tunes every table (zero: the node's defaults).
	Tables table.Config
	// Block and Objects tune every node's block manager and object
	// service (zero: the defaults; blocks go to the node's simulated
	// disk).
	Block   block.Config
	Objects object.Config
	// Net, if set, wraps the Net of each node's every incarnation before
	// the node is built: instruments that count calls.
	Net func(id rt.NodeID, n rt.Net) rt.Net
	// Membership tunes pings and status exchanges (zero: the defaults).
	Membership cluster.Config
	// BootDeadline bounds, in virtual time, the wait for the layout to be
	// applied everywhere (1 min if 0).
	BootDeadline time.Duration
}

// Default is a five-node cluster over one zone, RF 3, consistent mode,
// 100 ms ± 20 ms round trips, as in Garage's latency talk.
func Default() Config {
	return Config{Nodes: 5, Zones: 1, RF: 3, RTT: 100 * time.Millisecond, Jitter: 20 * time.Millisecond}
}

// Cluster is a booted simulated cluster.
type Cluster struct {
	W     *sim.World
	IDs   []rt.NodeID
	cfg   Config
	nodes []*garage.Node // current incarnation of each node (nil while booting)
	errs  []error        // boot error of each node's current incarnation
}

// IDs names n simulated nodes n1…nN.
func IDs(n int) []rt.NodeID {
	ids := make([]rt.NodeID, n)
	for i := range ids {
		ids[i] = rt.NodeID(fmt.Sprintf("n%d", i+1))
	}
	return ids
}

// Zone names the zone of node i: z1…zZ round-robin.
func (cfg Config) Zone(i int) string { return fmt.Sprintf("z%d", i%max(cfg.Zones, 1)+1) }

// Boot adds the nodes to w, each booting garage.New at every (re)start,
// has an operator stage a storage role for every node but the spares and
// apply layout version 1, and runs w until every node has the layout,
// has synced it and sees every other node up.
func Boot(w *sim.World, cfg Config) (*Cluster, error) {
	cfg = cfg.withDefaults()
	configure(w.Network(), cfg)
	c := &Cluster{W: w, IDs: IDs(cfg.Nodes), cfg: cfg}
	c.nodes, c.errs = make([]*garage.Node, cfg.Nodes), make([]error, cfg.Nodes)
	for i, id := range c.IDs {
		w.AddNode(id, cfg.Zone(i), func(env rt.Env) { c.boot(i, env) })
	}
	if err := w.RunUntil(c.booted, time.Second); err != nil {
		return nil, fmt.Errorf("boot: %w (%v)", err, c.bootErr())
	}
	if err := c.Operate(func(ctx context.Context, a *garage.Admin) error { return c.assign(ctx, a) }); err != nil {
		return nil, fmt.Errorf("layout 1: %w", err)
	}
	if err := c.WaitSettled(1, cfg.BootDeadline); err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	return c, nil
}

func (cfg Config) withDefaults() Config {
	if cfg.BootDeadline <= 0 {
		cfg.BootDeadline = time.Minute
	}
	return cfg
}

// configure sets the RTT and jitter of every link, registering the nodes
// in their zones first.
func configure(m *netem.Model, cfg Config) {
	for i, id := range IDs(cfg.Nodes) {
		if !m.Has(string(id)) {
			m.AddNode(string(id), cfg.Zone(i))
		}
	}
	m.SetRTT(netem.AllLinks(), cfg.RTT)
	m.SetJitter(netem.AllLinks(), netem.Uniform{Width: cfg.Jitter / 2})
	if cfg.Bandwidth > 0 {
		m.SetBandwidth(netem.AllLinks(), cfg.Bandwidth)
	}
	if cfg.IntraZoneRTT <= 0 {
		return
	}
	for z := range max(cfg.Zones, 1) {
		zone := cfg.Zone(z)
		m.SetRTT(netem.ZonePair(zone, zone), cfg.IntraZoneRTT)
		m.SetJitter(netem.ZonePair(zone, zone), netem.NoJitter{})
	}
}

// boot is node i's boot function: the same assembly as a real node.
func (c *Cluster) boot(i int, env rt.Env) {
	if c.cfg.Net != nil {
		env.Net = c.cfg.Net(env.ID, env.Net)
	}
	n, err := garage.New(env, c.nodeConfig(i))
	c.nodes[i], c.errs[i] = n, err
}

func (c *Cluster) nodeConfig(i int) garage.Config {
	mc := c.cfg.Membership
	mc.Replication, mc.Mode, mc.Hostname = c.cfg.RF, c.cfg.Mode, string(c.IDs[i])
	if i > 0 {
		mc.Bootstrap = []string{string(c.IDs[0]) + "@" + string(c.IDs[0]) + ":3901"}
	}
	return garage.Config{Cluster: mc, Tables: c.cfg.Tables, Block: c.cfg.Block, Objects: c.cfg.Objects,
		Controls: c.cfg.Controls}
}

func (c *Cluster) booted() bool {
	for i := range c.IDs {
		if c.nodes[i] == nil && c.errs[i] == nil {
			return false
		}
	}
	return true
}

func (c *Cluster) bootErr() error {
	for i, err := range c.errs {
		if err != nil {
			return fmt.Errorf("node %s: %w", c.IDs[i], err)
		}
	}
	return nil
}

// assign stages a storage role for every node but the spares and applies
// the next layout version.
func (c *Cluster) assign(ctx context.Context, a *garage.Admin) error {
	var req garage.StageRequest
	for i, id := range c.IDs[:len(c.IDs)-c.cfg.Spares] {
		req.Roles = append(req.Roles, garage.RoleChange{Node: id, Role: layout.StorageRole(c.cfg.Zone(i), Capacity)})
	}
	if err := a.Stage(ctx, req); err != nil {
		return err
	}
	_, err := a.Apply(ctx, 1)
	return err
}

// Node returns the current incarnation of node i (the last one if it is
// down).
func (c *Cluster) Node(i int) *garage.Node { return c.nodes[i] }

// NodeFunc returns a getter of node i's current incarnation.
func (c *Cluster) NodeFunc(i int) func() *garage.Node {
	return func() *garage.Node { return c.nodes[i] }
}

// Index returns the index of node id.
func (c *Cluster) Index(id rt.NodeID) int { return slices.Index(c.IDs, id) }

// Config returns the cluster's configuration.
func (c *Cluster) Config() Config { return c.cfg }
