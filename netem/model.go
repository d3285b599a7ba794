package netem

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Rand is the random source a Model draws from. The simulator passes its
// seeded network stream; the real shaper a locally seeded one (NewRand).
type Rand interface {
	Float64() float64
	Uint64() uint64
}

// NewRand returns a source seeded with seed alone (PCG from math/rand/v2),
// for the real-mode shaper and for tests. The simulator passes its own
// stream instead.
func NewRand(seed uint64) Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Fate is what happens to one message. A dropped message has Deliver set
// to the send time and no duplicate; a duplicate never arrives before the
// original.
type Fate struct {
	Drop    bool          // lost (by loss probability or a partition)
	Deliver time.Duration // when it arrives, on the same time axis as now
	Dup     bool          // delivered a second time as well (duplication)
	DupAt   time.Duration // arrival of the duplicate
}

// Model is a network model: nodes in zones, latency, jitter, loss,
// bandwidth, partitions. It is deterministic given the sequence of calls and
// the random source. It is not safe for concurrent use; callers serialise.
//
// Latencies are one-way. A message of size bytes waits for the link's
// serialisation queue (earlier messages still being transmitted at the
// link's bandwidth), takes size/bandwidth to transmit, then the one-way
// latency plus jitter. If its sender has an uplink bandwidth (SetUplink),
// it also queues on the sender's uplink, shared by all its links, and
// leaves the link no earlier than the uplink. A message from a node to
// itself is delivered at once and is never lost, duplicated or cut.
type Model struct {
	nodes []*node        // in registration order
	index map[string]int // node name -> position in nodes
	links [][]*link      // lazily created link state, by sender then receiver position
	cfg   config
	// uplink is each node's egress bandwidth (bytes/s, 0 unlimited), shared
	// by all its links; its nodes map is keyed by node name.
	uplink struct {
		all   float64
		nodes map[string]float64
	}
	cuts  []cut
	next  CutID
	gen   uint64 // bumped by every change that can alter a link's fate
	stats Stats
}

type node struct {
	name, zone string
	egress     time.Duration // end of the node's uplink queue
}

// link is the mutable state of one directed link plus a cache of its
// resolved configuration, valid while gen matches the model's.
type link struct {
	from, to  *node
	gen       uint64
	cfg       Link
	reachable bool
	busyUntil time.Duration // end of the serialisation queue
	last      time.Duration // latest delivery so far (FIFO horizon)
	bad       bool          // burst loss state (Gilbert–Elliott)
}

// Stats counts what Send decided since the model was built.
type Stats struct {
	Sent       int64 // calls to Send
	Delivered  int64 // messages not dropped (self-sends included)
	Lost       int64 // dropped by loss probability
	Cut        int64 // dropped by a partition
	Duplicated int64 // delivered twice
	Bytes      int64 // bytes of delivered messages
}

// New returns an empty model: no nodes, zero latency, no jitter, no loss,
// unlimited bandwidth, no FIFO, no partition.
func New() *Model {
	m := &Model{
		index: map[string]int{},
		cfg:   newConfig(),
	}
	m.uplink.nodes = map[string]float64{}
	return m
}

// AddNode registers node name in zone. It panics if name is empty or
// already registered.
func (m *Model) AddNode(name, zone string) {
	if name == "" {
		panic("netem: empty node name")
	}
	if _, ok := m.index[name]; ok {
		panic(fmt.Sprintf("netem: node %q added twice", name))
	}
	m.index[name] = len(m.nodes)
	m.nodes = append(m.nodes, &node{name: name, zone: zone})
	m.gen++
}

// Nodes returns the registered node names, sorted.
func (m *Model) Nodes() []string {
	names := make([]string, len(m.nodes))
	for i, n := range m.nodes {
		names[i] = n.name
	}
	slices.Sort(names)
	return names
}

// Zones returns the zones that hold at least one node, sorted.
func (m *Model) Zones() []string {
	var zones []string
	for _, n := range m.nodes {
		zones = append(zones, n.zone)
	}
	slices.Sort(zones)
	return slices.Compact(zones)
}

// ZoneNodes returns the nodes of zone, sorted.
func (m *Model) ZoneNodes(zone string) []string {
	var names []string
	for _, n := range m.nodes {
		if n.zone == zone {
			names = append(names, n.name)
		}
	}
	slices.Sort(names)
	return names
}

// Zone returns the zone of node name; it panics if name is unknown.
func (m *Model) Zone(name string) string { return m.node(name).zone }

// Has reports whether node name is registered.
func (m *Model) Has(name string) bool {
	_, ok := m.index[name]
	return ok
}

// Link returns the resolved configuration of the link from → to.
func (m *Model) Link(from, to string) Link {
	if from == to {
		n := m.node(from)
		return m.cfg.resolve(n, n)
	}
	return m.link(from, to).cfg
}

// Latency returns the base one-way latency from → to (0 for a node to
// itself).
func (m *Model) Latency(from, to string) time.Duration {
	if from == to {
		return 0
	}
	return m.Link(from, to).Latency
}

// RTT returns the base round-trip time between a and b, without jitter.
func (m *Model) RTT(a, b string) time.Duration {
	return m.Latency(a, b) + m.Latency(b, a)
}

// Stats returns the counters of every Send so far.
func (m *Model) Stats() Stats { return m.stats }

// Send decides the fate of a message of size bytes sent at time now from
// node from to node to (node names as registered with AddNode; an unknown
// name panics). Between distinct nodes it draws two uniforms (loss, then
// duplication), then, unless a partition cuts the link, one for the burst
// state if the link has a Burst model, then, unless the message is lost,
// the jitter of the delivery and of the duplicate. A lost message still occupies the link's
// serialisation queue; a message cut by a partition does not. Everything
// is decided at send time: a partition made later does not drop a message
// already in flight (a simulator that wants that checks Reachable again at
// delivery).
func (m *Model) Send(now time.Duration, from, to string, size int, r Rand) Fate {
	return m.SendAt(now, m.mustIndex(from), m.mustIndex(to), size, r)
}

// SendAt is Send between the nodes at positions from and to (see Index).
func (m *Model) SendAt(now time.Duration, from, to int, size int, r Rand) Fate {
	if from == to {
		m.stats.Sent++
		m.delivered(size, false)
		return Fate{Deliver: now}
	}
	l := m.linkAt(from, to)
	m.stats.Sent++
	uLoss, uDup := r.Float64(), r.Float64()
	if !l.reachable {
		m.stats.Cut++
		return Fate{Drop: true, Deliver: now}
	}
	upStart, upEnd := m.uplinkSlot(l.from, now, size)
	sent := max(max(upStart, l.busyUntil)+l.cfg.txTime(size), upEnd)
	l.busyUntil = sent
	if uLoss < l.lossProb(r) {
		m.stats.Lost++
		return Fate{Drop: true, Deliver: now}
	}
	f := Fate{Deliver: l.arrival(sent, r)}
	if uDup < l.cfg.Dup {
		f.Dup, f.DupAt = true, max(l.arrival(sent, r), f.Deliver)
	}
	m.delivered(size, f.Dup)
	return f
}

// uplinkSlot queues size bytes sent at now on node n's uplink and returns
// when they start and finish leaving it (both now when the uplink is
// unlimited). The link transmits in parallel, as packets are pipelined:
// a message leaves its link no earlier than its uplink, and no sooner than
// its transmission time on the link after the uplink started sending it.
func (m *Model) uplinkSlot(n *node, now time.Duration, size int) (start, end time.Duration) {
	bw := m.uplinkOf(n.name)
	if bw <= 0 || size <= 0 {
		return now, now
	}
	start = max(now, n.egress)
	n.egress = start + Link{Bandwidth: bw}.txTime(size)
	return start, n.egress
}

// uplinkOf returns the uplink bandwidth of node name (0: unlimited).
func (m *Model) uplinkOf(name string) float64 {
	if v, ok := m.uplink.nodes[name]; ok {
		return v
	}
	return m.uplink.all
}

// rate returns the bandwidth at which a message from → to streams: the
// smaller of the link's and the sender's uplink, 0 if both are unlimited.
func (m *Model) rate(from, to string) float64 {
	rate := m.Link(from, to).Bandwidth
	if up := m.uplinkOf(from); up > 0 && (rate <= 0 || up < rate) {
		rate = up
	}
	return rate
}

// arrival draws the arrival of a message that left the link at sent and
// moves the FIFO horizon.
func (l *link) arrival(sent time.Duration, r Rand) time.Duration {
	at := sent + l.cfg.delay(r)
	if l.cfg.FIFO {
		at = max(at, l.last)
	}
	l.last = max(l.last, at)
	return at
}

func (m *Model) delivered(size int, dup bool) {
	m.stats.Delivered++
	m.stats.Bytes += int64(size)
	if dup {
		m.stats.Duplicated++
	}
}

// Reachable reports whether from can currently send to to (no partition
// cuts the link in that direction). A node can always reach itself.
func (m *Model) Reachable(from, to string) bool {
	return m.ReachableAt(m.mustIndex(from), m.mustIndex(to))
}

// ReachableAt is Reachable between the nodes at positions from and to (see
// Index).
func (m *Model) ReachableAt(from, to int) bool {
	return from == to || m.linkAt(from, to).reachable
}

// BandwidthAt returns the bandwidth of the link between the distinct nodes
// at positions from and to (see Index; 0: unlimited).
func (m *Model) BandwidthAt(from, to int) float64 {
	return m.linkAt(from, to).cfg.Bandwidth
}

// link returns the state of the link between two distinct nodes (an
// unknown name panics), refreshing its cached configuration and
// reachability when the model changed.
func (m *Model) link(from, to string) *link { return m.linkAt(m.mustIndex(from), m.mustIndex(to)) }

// Index returns the position of node name, for the methods that take
// positions (SendAt, ReachableAt, BandwidthAt): a caller sending many
// messages resolves its names once. An unknown name panics.
func (m *Model) Index(name string) int { return m.mustIndex(name) }

// linkAt returns the state of the link between the distinct nodes at
// positions i and j, created on first use, refreshed when the model
// changed.
func (m *Model) linkAt(i, j int) *link {
	if len(m.links) <= i {
		m.links = append(m.links, make([][]*link, i+1-len(m.links))...)
	}
	if len(m.links[i]) <= j {
		m.links[i] = append(m.links[i], make([]*link, j+1-len(m.links[i]))...)
	}
	l := m.links[i][j]
	if l == nil {
		l = &link{from: m.nodes[i], to: m.nodes[j], gen: m.gen - 1}
		m.links[i][j] = l
	}
	if l.gen != m.gen {
		l.cfg = m.cfg.resolve(l.from, l.to)
		l.reachable = !m.cutBetween(l.from, l.to)
		l.gen = m.gen
	}
	return l
}

func (m *Model) mustIndex(name string) int {
	i, ok := m.index[name]
	if !ok {
		panic(fmt.Sprintf("netem: unknown node %q", name))
	}
	return i
}

func (m *Model) node(name string) *node { return m.nodes[m.mustIndex(name)] }
