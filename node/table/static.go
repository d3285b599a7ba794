package table

import (
	"slices"
	"sync"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"golang.org/x/crypto/blake2b"
)

// Static is a layout history shared by every node of a test cluster or a
// tool, standing in for the cluster layout manager: every node sees each
// change at once, acknowledged by all (so SyncTarget is always ready).
// SyncDone raises the node's sync and sync-ack trackers, so that old
// versions retire once every storage node synced the new one.
//
// Static is safe for concurrent use; it never blocks for long.
type Static struct {
	mu   sync.Mutex
	h    *layout.History
	mode Mode
}

// NewStatic returns a Static over a copy of h, with quorums from mode.
func NewStatic(h *layout.History, mode Mode) *Static {
	s := &Static{h: h.Clone(), mode: mode}
	s.ackAll()
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
// applying a new version), then has every node acknowledge the newest
// version. On error the history is left unchanged.
func (s *Static) Update(fn func(h *layout.History) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.h.Clone()
	if err := fn(h); err != nil {
		return err
	}
	s.h = h
	s.ackAll()
	return nil
}

func (s *Static) ackAll() {
	for _, n := range s.h.AllNodes() {
		s.h.Ack(n, s.h.Current().Number)
	}
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

// ReadNodes returns the read version's nodes of key's partition, this node
// first if it is one of them.
func (v *staticView) ReadNodes(key []byte) []rt.NodeID {
	var out []rt.NodeID
	v.s.view(func(h *layout.History) {
		out = toNodeIDs(h.ReadNodes(h.PartitionOf(blake2b.Sum256(key))))
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
			out = append(out, toNodeIDs(set))
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

// SyncDone raises this node's sync and sync-ack trackers to n.
func (v *staticView) SyncDone(n uint64) {
	v.s.view(func(h *layout.History) {
		h.Synced(layout.NodeID(v.self), n)
		h.SyncAcked(layout.NodeID(v.self), n)
	})
}
