package cluster

import (
	"cmp"
	"slices"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// ReadCandidate is a node that may serve a read, with what ordering needs.
type ReadCandidate struct {
	ID       rt.NodeID
	Self     bool
	SameZone bool
	RTT      time.Duration // 0: unknown, ordered after every known RTT
}

// OrderReads sorts candidates by preference: this node first, then nodes
// of its zone, then by lowest measured RTT (unknown last), then by id. It
// returns the ids in that order and leaves cs unchanged.
func OrderReads(cs []ReadCandidate) []rt.NodeID {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, compareCandidates)
	out := make([]rt.NodeID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func compareCandidates(a, b ReadCandidate) int {
	if a.Self != b.Self {
		return boolFirst(a.Self)
	}
	if a.SameZone != b.SameZone {
		return boolFirst(a.SameZone)
	}
	if (a.RTT == 0) != (b.RTT == 0) {
		return boolFirst(a.RTT != 0)
	}
	return cmp.Or(cmp.Compare(a.RTT, b.RTT), cmp.Compare(a.ID, b.ID))
}

// boolFirst orders the candidate for which the property holds first.
func boolFirst(aHas bool) int {
	if aHas {
		return -1
	}
	return 1
}

// orderReads orders nodes, in place, for a read with zones from h's
// current version and this node's RTT estimates (as OrderReads does), and
// returns them. Reads call it for every request: a replica set fits the
// candidates in a stack array.
func (c *Cluster) orderReads(h *layout.History, nodes []rt.NodeID) []rt.NodeID {
	cur := h.Current()
	mine, hasZone := cur.Role(c.self)
	var buf [8]ReadCandidate
	cs := buf[:0]
	c.mu.Lock()
	for _, id := range nodes {
		r, ok := cur.Role(id)
		cs = append(cs, ReadCandidate{ID: id, Self: id == c.self, RTT: c.rttLocked(id),
			SameZone: hasZone && ok && r.Zone == mine.Zone})
	}
	c.mu.Unlock()
	slices.SortStableFunc(cs, compareCandidates)
	for i, cd := range cs {
		nodes[i] = cd.ID
	}
	return nodes
}

func (c *Cluster) rttLocked(id rt.NodeID) time.Duration {
	if p := c.peers[id]; p != nil {
		return p.rtt
	}
	return 0
}
