package layout

import (
	"slices"
	"strings"
)

// Tracker maps nodes to a layout version number; each entry only grows
// (a max-register map, merged by taking the maximum).
type Tracker []TrackerEntry

// TrackerEntry is one node's value in a Tracker.
type TrackerEntry struct {
	Node    NodeID `json:"node"`
	Version uint64 `json:"version"`
}

func (t Tracker) find(node NodeID) (int, bool) {
	return slices.BinarySearchFunc(t, node, func(e TrackerEntry, n NodeID) int {
		return strings.Compare(string(e.Node), string(n))
	})
}

// Get returns node's value, if it has one.
func (t Tracker) Get(node NodeID) (uint64, bool) {
	if i, ok := t.find(node); ok {
		return t[i].Version, true
	}
	return 0, false
}

// SetMax raises node's value to v and reports whether it changed.
func (t *Tracker) SetMax(node NodeID, v uint64) bool {
	i, ok := t.find(node)
	switch {
	case !ok:
		*t = slices.Insert(*t, i, TrackerEntry{Node: node, Version: v})
		return true
	case (*t)[i].Version < v:
		(*t)[i].Version = v
		return true
	}
	return false
}

// Merge takes the maximum of each entry of t and o and reports whether t
// changed.
func (t *Tracker) Merge(o Tracker) bool {
	changed := false
	for _, e := range o {
		if t.SetMax(e.Node, e.Version) {
			changed = true
		}
	}
	return changed
}

// MinAmong returns the smallest value among nodes, counting a node without
// an entry, or with one below floor, as floor; it returns floor when nodes
// is empty. Callers pass the oldest live version as floor: a node that left
// the layout and came back keeps trackers older than every live version,
// and must count as being at the oldest one, not drag the minimum below it
// (Garage clamps its trackers the same way).
func (t Tracker) MinAmong(nodes []NodeID, floor uint64) uint64 {
	out, first := floor, true
	for _, n := range nodes {
		v, ok := t.Get(n)
		if !ok || v < floor {
			v = floor
		}
		if first || v < out {
			out, first = v, false
		}
	}
	return out
}

// Trackers are the three per-node trackers of a layout transition:
//
//   - Ack[n] = v: node n sends every new write to version v (and the live
//     versions before it) and has no write in flight that ignores v;
//   - Sync[n] = v: node n holds all the data that version v assigns it;
//   - SyncAck[n] = v: node n has seen every storage node synced to v and
//     no longer reads from versions before v.
type Trackers struct {
	Ack     Tracker `json:"ack"`
	Sync    Tracker `json:"sync"`
	SyncAck Tracker `json:"sync_ack"`
}

// Merge merges o into t and reports whether t changed.
func (t *Trackers) Merge(o Trackers) bool {
	a := t.Ack.Merge(o.Ack)
	s := t.Sync.Merge(o.Sync)
	sa := t.SyncAck.Merge(o.SyncAck)
	return a || s || sa
}

// Clone returns a deep copy of t.
func (t Trackers) Clone() Trackers {
	return Trackers{Ack: slices.Clone(t.Ack), Sync: slices.Clone(t.Sync), SyncAck: slices.Clone(t.SyncAck)}
}
