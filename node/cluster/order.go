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
	Down     bool          // the failure detector suspects it or counts it down
}

// OrderReads sorts candidates by preference: nodes the failure detector
// suspects or counts down last; among the others, this node first, then
// nodes of its zone, then by lowest measured RTT (unknown last), then by
// id. It returns the ids in that order and leaves cs unchanged.
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
	if a.Down != b.Down {
		return boolFirst(b.Down)
	}
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
		p := c.peers[id]
		cd := ReadCandidate{ID: id, Self: id == c.self, SameZone: hasZone && ok && r.Zone == mine.Zone}
		if p != nil && !cd.Self {
			cd.RTT, cd.Down = p.rtt, p.live.State != StateAlive // suspects too: reads can go elsewhere
		}
		cs = append(cs, cd)
	}
	c.mu.Unlock()
	slices.SortStableFunc(cs, compareCandidates)
	for i, cd := range cs {
		nodes[i] = cd.ID
	}
	return nodes
}

// Read hedging: a read that asked a read quorum first asks the other read
// nodes too after readHedgeRTTs times the greatest RTT estimate of the
// nodes it asked, and not before readHedgeMin.
const (
	readHedgeRTTs = 2
	readHedgeMin  = 10 * time.Millisecond
)

// readHedge returns how long a read waits for the nodes first before
// asking the other read nodes: readHedgeRTTs times their greatest RTT
// estimate (at least readHedgeMin), or 0 (ask every node at once) if one
// has no estimate yet.
func (c *Cluster) readHedge(first []rt.NodeID) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	worst := time.Duration(0)
	for _, id := range first {
		if id == c.self {
			continue
		}
		p := c.peers[id]
		if p == nil || p.rtt == 0 {
			return 0
		}
		worst = max(worst, p.rtt)
	}
	return max(readHedgeRTTs*worst, readHedgeMin)
}
