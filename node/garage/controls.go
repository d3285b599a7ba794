package garage

import (
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// guarded is a table.Layout with Garage's ack lock (cluster.Sharded has
// one); wrappers must keep it visible to the table.
type guarded interface {
	Guard() (release func())
}

// quorums lets a negative control replace the consistency mode of the
// node's sharded tables at run time (SetModeOverride).
type quorums struct {
	rf       func() int // the current replication factor
	mu       rt.Mutex
	override *table.Mode
}

func newQuorums(t rt.Tasks, rf func() int) *quorums { return &quorums{rf: rf, mu: t.NewMutex()} }

func (q *quorums) get() *table.Mode {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.override
}

func (q *quorums) set(m *table.Mode) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.override = m
}

// wrap returns lay with its quorums taken from the override when one is
// set, placing by hash as lay does if lay can.
func (q *quorums) wrap(lay table.Layout) table.Layout {
	m := modal{Layout: lay, q: q}
	if h, ok := lay.(table.HashedReplication); ok {
		return hashedModal{modal: m, h: h}
	}
	return m
}

// SetModeOverride makes every sharded table of the node use mode m's
// quorums from now on, whatever the configured consistency mode; nil
// restores it. It is a negative control (a consistency mode changed under
// a running cluster), never an operator's action.
func (n *Node) SetModeOverride(m *table.Mode) { n.quorums.set(m) }

// modal is a layout whose quorums follow a quorums override.
type modal struct {
	table.Layout
	q *quorums
}

var _ table.Layout = modal{}

func (m modal) ReadQuorum() int {
	if o := m.q.get(); o != nil {
		r, _ := o.Quorums(m.q.rf())
		return r
	}
	return m.Layout.ReadQuorum()
}

func (m modal) WriteQuorum() int {
	if o := m.q.get(); o != nil {
		_, w := o.Quorums(m.q.rf())
		return w
	}
	return m.Layout.WriteQuorum()
}

// Guard forwards the wrapped layout's ack lock.
func (m modal) Guard() (release func()) { return guardOf(m.Layout) }

// Changed forwards the wrapped layout's change events.
func (m modal) Changed() rt.Event { return changedOf(m.Layout) }

// ReadHedge forwards the wrapped layout's read hedging.
func (m modal) ReadHedge(first []rt.NodeID) time.Duration { return hedgeOf(m.Layout, first) }

// hashedModal is a modal over a layout that places keys by hash, which it
// keeps visible to the table (table.HashedReplication).
type hashedModal struct {
	modal
	h table.HashedReplication
}

var _ table.HashedReplication = hashedModal{}

func (m hashedModal) ReadNodesHashed(kh [32]byte) []rt.NodeID   { return m.h.ReadNodesHashed(kh) }
func (m hashedModal) WriteSetsHashed(kh [32]byte) [][]rt.NodeID { return m.h.WriteSetsHashed(kh) }

// changedOf is lay's next change event (see table.LayoutNotifier); nil,
// poll, if lay has none.
func changedOf(lay table.Layout) rt.Event {
	if n, ok := lay.(table.LayoutNotifier); ok {
		return n.Changed()
	}
	return nil
}

// hedgeOf is lay's read hedge for first (see table.ReadHedger); 0, every
// read node at once, if lay has none.
func hedgeOf(lay table.Layout, first []rt.NodeID) time.Duration {
	if h, ok := lay.(table.ReadHedger); ok {
		return h.ReadHedge(first)
	}
	return 0
}

func guardOf(lay table.Layout) (release func()) {
	if g, ok := lay.(guarded); ok {
		return g.Guard()
	}
	return func() {}
}

// singleVersion is the negative control of multi-version layouts: during a
// transition it writes to and reads from the newest version only, as if
// the switch were atomic, so acknowledged writes still only on the old
// version's nodes are missed by reads.
type singleVersion struct {
	table.Layout
	self rt.NodeID
}

// WriteSets keeps only the newest version's set.
func (v singleVersion) WriteSets(key []byte) [][]rt.NodeID {
	sets := v.Layout.WriteSets(key)
	return sets[len(sets)-1:]
}

// ReadNodes reads the newest version's set, this node first.
func (v singleVersion) ReadNodes(key []byte) []rt.NodeID {
	newest := slices.Clone(v.WriteSets(key)[0])
	if i := slices.Index(newest, v.self); i > 0 {
		newest = append(append([]rt.NodeID{v.self}, newest[:i]...), newest[i+1:]...)
	}
	return newest
}

// Sharding shows the workers the newest version only.
func (v singleVersion) Sharding() table.Sharding {
	s := v.Layout.Sharding()
	parts := make([]table.Part, len(s.Parts))
	for i, p := range s.Parts {
		parts[i] = p
		if len(p.Sets) > 1 {
			parts[i] = table.Part{Sets: p.Sets[len(p.Sets)-1:]}
		}
	}
	return table.Sharding{Version: s.Version, Bits: s.Bits, Parts: parts}.WithFingerprint()
}

// Guard forwards the wrapped layout's ack lock.
func (v singleVersion) Guard() (release func()) { return guardOf(v.Layout) }

// Changed forwards the wrapped layout's change events.
func (v singleVersion) Changed() rt.Event { return changedOf(v.Layout) }

// ReadHedge forwards the wrapped layout's read hedging.
func (v singleVersion) ReadHedge(first []rt.NodeID) time.Duration { return hedgeOf(v.Layout, first) }
