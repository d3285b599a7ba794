package table

import (
	"slices"
	"sync"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"golang.org/x/crypto/blake2b"
)

// Static is a layout history shared by every node of a test cluster or a
// tool, standing in for the cluster layout manager. Every node sees each
// change at once, and the trackers move as node/cluster moves them: a node
// acks the current version once no write it Guarded under an older
// version is in flight (the ack lock); the sync target is ready once every
// node acked it; SyncDone raises the node's sync tracker; and every node
// sync-acks the cluster's sync minimum, so that old versions retire once
// every storage node synced the new one.
//
// Static is safe for concurrent use; it never blocks for long.
type Static struct {
	mu     sync.Mutex
	h      *layout.History
	mode   Mode
	guards map[rt.NodeID]map[uint64]int // writes in flight per node and version
}

// NewStatic returns a Static over a copy of h, with quorums from mode.
func NewStatic(h *layout.History, mode Mode) *Static {
	s := &Static{h: h.Clone(), mode: mode, guards: map[rt.NodeID]map[uint64]int{}}
	s.advance()
	return s
}

// For returns the Layout seen by node self.
func (s *Static) For(self rt.NodeID) Layout { return &staticView{s: s, self: self} }

// History returns a copy of the current history.
func (s *Static) History() *layout.History {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h.Clone()
}

// Update changes the history with fn (for instance staging roles and
// applying a new version), then has every node without a write in flight
// under an older version acknowledge the newest one; the others ack it
// when their last such write ends. On error the history is left
// unchanged.
func (s *Static) Update(fn func(h *layout.History) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.h.Clone()
	if err := fn(h); err != nil {
		return err
	}
	s.h = h
	s.advance()
	return nil
}

// advance moves every node's trackers as Garage does: ack the current
// version unless a write guarded under an older one is in flight, then
// sync-ack the sync minimum. (Trackers older than the oldest live version,
// such as those of a node that left and came back, count as that version:
// layout.Tracker.MinAmong clamps them.) s.mu must be held.
func (s *Static) advance() {
	cur := s.h.Current().Number
	for _, n := range s.h.AllNodes() {
		if !s.blocked(n, cur) {
			s.h.Ack(n, cur)
		}
	}
	sm := s.h.SyncMin()
	for _, n := range s.h.AllNodes() {
		s.h.SyncAcked(n, sm)
	}
}

// blocked reports whether node id has a guarded write in flight that began
// under a version older than cur. s.mu must be held.
func (s *Static) blocked(id rt.NodeID, cur uint64) bool {
	blocked := false
	for v, n := range s.guards[id] {
		if v < cur && n > 0 {
			blocked = true
		}
	}
	return blocked
}

// guard marks a write of node id in flight under the current version and
// returns the idempotent function that ends it.
func (s *Static) guard(id rt.NodeID) (release func()) {
	s.mu.Lock()
	v := s.h.Current().Number
	if s.guards[id] == nil {
		s.guards[id] = map[uint64]int{}
	}
	s.guards[id][v]++
	s.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { s.release(id, v) }) }
}

func (s *Static) release(id rt.NodeID, v uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.guards[id][v]--; s.guards[id][v] <= 0 {
		delete(s.guards[id], v)
	}
	s.advance()
}

func (s *Static) view(fn func(h *layout.History)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.h)
}

type staticView struct {
	s    *Static
	self rt.NodeID
}

var _ Layout = (*staticView)(nil)

// Guard marks a write coordinated by this node in flight: until release is
// called, this node does not ack a version newer than the current one.
func (v *staticView) Guard() (release func()) { return v.s.guard(v.self) }

// ReadNodes returns the read version's nodes of key's partition, this node
// first if it is one of them.
func (v *staticView) ReadNodes(key []byte) []rt.NodeID {
	var out []rt.NodeID
	v.s.view(func(h *layout.History) {
		out = slices.Clone(h.ReadNodes(h.PartitionOf(blake2b.Sum256(key))))
	})
	if i := slices.Index(out, v.self); i > 0 {
		out = append(append([]rt.NodeID{v.self}, out[:i]...), out[i+1:]...)
	}
	return out
}

// WriteSets returns the nodes of key's partition in every live version.
func (v *staticView) WriteSets(key []byte) [][]rt.NodeID {
	var out [][]rt.NodeID
	v.s.view(func(h *layout.History) {
		for _, set := range h.WriteSets(h.PartitionOf(blake2b.Sum256(key))) {
			out = append(out, slices.Clone(set))
		}
	})
	if len(out) == 0 {
		return [][]rt.NodeID{{}}
	}
	return out
}

// ReadQuorum returns R for the history's replication factor and the mode.
func (v *staticView) ReadQuorum() int { r, _ := v.s.mode.Quorums(v.rf()); return r }

// WriteQuorum returns W for the history's replication factor and the mode.
func (v *staticView) WriteQuorum() int { _, w := v.s.mode.Quorums(v.rf()); return w }

func (v *staticView) rf() (rf int) {
	v.s.view(func(h *layout.History) { rf = h.Current().Params.Replication })
	return rf
}

// Sharding returns the history's sharding.
func (v *staticView) Sharding() (s Sharding) {
	v.s.view(func(h *layout.History) { s = ShardingOf(h) })
	return s
}

// SyncDone raises this node's sync tracker to n, then has every node
// sync-ack the cluster's sync minimum.
func (v *staticView) SyncDone(n uint64) {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	v.s.h.Synced(v.self, n)
	v.s.advance()
}
