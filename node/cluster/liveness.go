package cluster

import (
	"fmt"
	"math"
	"time"
)

// MemberState is what a node believes of another node's liveness, as in
// SWIM: alive, suspected (still counted up), dead, or forgotten by an
// operator (left). Unknown is a peer known by its address only (a
// bootstrap peer, "node connect", the persisted list) that nobody has
// vouched for yet.
type MemberState uint8

// Member states, in increasing gravity: at equal incarnations the graver
// state wins (Liveness.Supersedes).
const (
	StateUnknown MemberState = iota
	StateAlive
	StateSuspect
	StateDead
	StateLeft
)

func (s MemberState) String() string {
	switch s {
	case StateUnknown:
		return "unknown"
	case StateAlive:
		return "alive"
	case StateSuspect:
		return "suspect"
	case StateDead:
		return "dead"
	case StateLeft:
		return "left"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Up reports whether a node in state s counts as up: alive or suspected.
func (s MemberState) Up() bool { return s == StateAlive || s == StateSuspect }

// Liveness is one belief about a node: its incarnation (a counter only the
// node itself raises, at boot and to refute a suspicion) and its state.
type Liveness struct {
	Inc   uint64      `json:"inc"`
	State MemberState `json:"state"`
}

// Supersedes reports whether l replaces o: a higher incarnation, or the
// same incarnation and a graver state. Beliefs thus form a total order
// (incarnation, gravity) and merging two is taking the greater; Unknown
// (incarnation 0) supersedes nothing.
func (l Liveness) Supersedes(o Liveness) bool {
	if l.Inc != o.Inc {
		return l.Inc > o.Inc
	}
	return l.State > o.State
}

// Refutes reports whether a node whose own incarnation is inc must refute
// belief l about itself (a suspicion, death or departure at least as new
// as inc), and returns the incarnation that refutes it.
func Refutes(l Liveness, inc uint64) (uint64, bool) {
	if l.State == StateAlive || l.State == StateUnknown || l.Inc < inc {
		return inc, false
	}
	return l.Inc + 1, true
}

// SuspicionTimeout is how long a suspected node has to refute before it is
// declared dead: failAfter probe intervals, scaled by log10 of the cluster
// size (at least 1) so that the suspicion has time to reach it in large
// clusters, as memberlist does.
func SuspicionTimeout(failAfter int, interval time.Duration, members int) time.Duration {
	scale := max(1, math.Log10(float64(members)))
	return time.Duration(float64(failAfter) * scale * float64(interval))
}

// RetransmitLimit is how many times a rumor is piggybacked before it is
// dropped: mult × ceil(log10(members + 1)), at least mult, which reaches
// every node of a cluster of that size with high probability.
func RetransmitLimit(mult, members int) int {
	return mult * max(1, int(math.Ceil(math.Log10(float64(members+1)))))
}
