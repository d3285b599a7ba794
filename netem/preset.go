package netem

import (
	"fmt"
	"time"
)

// Garage5 returns the network of Garage's latency benchmarks: five nodes
// n1…n5, each in its own zone z1…z5, every link at 100 ms RTT ± 20 ms,
// that is 50 ms one way with uniform jitter of ±10 ms on each hop. Links
// are not FIFO, lossless and unlimited in bandwidth.
func Garage5() *Model {
	m := New()
	for i := 1; i <= 5; i++ {
		m.AddNode(fmt.Sprintf("n%d", i), fmt.Sprintf("z%d", i))
	}
	m.SetRTT(AllLinks(), 100*time.Millisecond)
	m.SetJitter(AllLinks(), Uniform{Width: 10 * time.Millisecond})
	return m
}

// ThreeDCs returns n nodes n1…nN spread round-robin over zones dc1, dc2
// and dc3 (n1 in dc1, n2 in dc2, n3 in dc3, n4 in dc1, …): 0.5 ms RTT
// without jitter inside a zone, 100 ms RTT ± 20 ms between zones (50 ms one
// way with uniform jitter of ±10 ms per hop). It panics if n < 1.
func ThreeDCs(n int) *Model {
	if n < 1 {
		panic(fmt.Sprintf("netem: ThreeDCs(%d): need at least one node", n))
	}
	m := New()
	for i := 1; i <= n; i++ {
		m.AddNode(fmt.Sprintf("n%d", i), fmt.Sprintf("dc%d", (i-1)%3+1))
	}
	m.SetRTT(AllLinks(), 100*time.Millisecond)
	m.SetJitter(AllLinks(), Uniform{Width: 10 * time.Millisecond})
	for _, z := range []string{"dc1", "dc2", "dc3"} {
		m.SetRTT(ZonePair(z, z), 500*time.Microsecond)
		m.SetJitter(ZonePair(z, z), NoJitter{})
	}
	return m
}
