package netem

import "time"

// API CONTRACT (skeleton written by the lead; the netem owner implements the
// bodies, may add fields, options and helpers, but keeps these names and
// signatures so that sim/ and the real-mode shaper can rely on them).

// Rand is the random source a Model draws from. The simulator passes its
// seeded network stream; the real shaper a locally seeded one.
type Rand interface {
	Float64() float64
	Uint64() uint64
}

// Fate is what happens to one message.
type Fate struct {
	Drop    bool          // lost (by loss probability or a partition)
	Deliver time.Duration // when it arrives, on the same time axis as now
	Dup     bool          // delivered a second time as well (duplication)
	DupAt   time.Duration // arrival of the duplicate
}

// Model is a network model: nodes in zones, latency, jitter, loss,
// bandwidth, partitions. It is deterministic given the sequence of calls and
// the random source. It is not safe for concurrent use; callers serialise.
type Model struct {
	// implementation-defined
}

// Send decides the fate of a message of size bytes sent at time now from
// node from to node to (node names as registered with AddNode).
func (m *Model) Send(now time.Duration, from, to string, size int, r Rand) Fate {
	panic("netem: not implemented")
}

// Reachable reports whether from can currently send to to (no partition
// cuts the link in that direction).
func (m *Model) Reachable(from, to string) bool { panic("netem: not implemented") }
