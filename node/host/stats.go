package host

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// CallStat counts the calls of one (peer, endpoint) pair this node made:
// calls, failed ones, and a histogram of their durations (Counts[i] calls
// took at most Bounds[i], cumulative; Calls counts them all).
type CallStat struct {
	To       rt.NodeID
	Endpoint string
	Calls    uint64
	Errors   uint64
	Sum      time.Duration
	Bounds   []time.Duration
	Counts   []uint64
}

// callBounds are the histogram bounds of call durations: from a
// loopback round trip to the default call timeout.
func callBounds() []time.Duration {
	return []time.Duration{500 * time.Microsecond, time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond,
		10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
		250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second}
}

type statKey struct {
	to       rt.NodeID
	endpoint string
}

// callStats is the table of CallStat of a Net.
type callStats struct {
	mu     sync.Mutex
	bounds []time.Duration
	m      map[statKey]*CallStat
}

func newCallStats() *callStats {
	return &callStats{bounds: callBounds(), m: map[statKey]*CallStat{}}
}

// record counts one call that took d and failed if err is not nil.
func (s *callStats) record(to rt.NodeID, endpoint string, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := statKey{to, endpoint}
	st := s.m[k]
	if st == nil {
		st = &CallStat{To: to, Endpoint: endpoint, Bounds: s.bounds, Counts: make([]uint64, len(s.bounds))}
		s.m[k] = st
	}
	st.Calls++
	if err != nil {
		st.Errors++
	}
	st.Sum += d
	for i, b := range s.bounds {
		if d <= b {
			st.Counts[i]++
		}
	}
}

// CallStats returns a copy of the call statistics of this Net, sorted by
// peer and endpoint.
func (n *Net) CallStats() []CallStat {
	s := n.stats
	s.mu.Lock()
	out := make([]CallStat, 0, len(s.m))
	for _, st := range s.m {
		c := *st
		c.Counts = slices.Clone(st.Counts)
		out = append(out, c)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b CallStat) int {
		return cmp.Or(cmp.Compare(a.To, b.To), cmp.Compare(a.Endpoint, b.Endpoint))
	})
	return out
}
