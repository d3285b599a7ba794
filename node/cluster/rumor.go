package cluster

import (
	"cmp"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// MaxPiggyback bounds the rumors one membership message carries.
const MaxPiggyback = 8

// RetransmitMult is the λ of the rumors' retransmission limit
// (RetransmitLimit).
const RetransmitMult = 4

// update is a rumor about a node's liveness, piggybacked on pings, acks
// and status exchanges.
type update struct {
	ID   rt.NodeID `json:"id"`
	Addr string    `json:"addr,omitempty"`
	Live Liveness  `json:"live"`
}

// rumors is the queue of updates a node still spreads: at most one per
// node (a newer one replaces it), each sent a bounded number of times. It
// is guarded by the cluster's mutex.
type rumors struct {
	byID map[rt.NodeID]*rumor
	seq  uint64
}

type rumor struct {
	u    update
	sent int
	seq  uint64 // order of enqueueing: newer rumors go first among equals
}

func newRumors() rumors { return rumors{byID: map[rt.NodeID]*rumor{}} }

// add queues u, replacing any rumor about the same node.
func (r *rumors) add(u update) {
	r.seq++
	r.byID[u.ID] = &rumor{u: u, seq: r.seq}
}

// drop forgets the rumor about id, if any.
func (r *rumors) drop(id rt.NodeID) { delete(r.byID, id) }

// len returns the number of rumors still to spread.
func (r *rumors) len() int { return len(r.byID) }

// take returns up to n rumors, least sent first, then newest, and counts
// one transmission of each; a rumor sent limit times is dropped.
func (r *rumors) take(n, limit int) []update {
	if len(r.byID) == 0 {
		return nil
	}
	all := make([]*rumor, 0, len(r.byID))
	for _, id := range sortedKeys(r.byID) {
		all = append(all, r.byID[id])
	}
	slices.SortFunc(all, func(a, b *rumor) int {
		return cmp.Or(cmp.Compare(a.sent, b.sent), cmp.Compare(b.seq, a.seq))
	})
	out := make([]update, 0, min(n, len(all)))
	for _, ru := range all[:min(n, len(all))] {
		out = append(out, ru.u)
		if ru.sent++; ru.sent >= limit {
			delete(r.byID, ru.u.ID)
		}
	}
	return out
}
