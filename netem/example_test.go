package netem_test

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/netem"
)

// A simulator asks the model for the fate of each message; here the
// preset of Garage's benchmarks, with one node cut off half-way.
func Example() {
	m := netem.Garage5()
	r := netem.NewRand(7)
	fmt.Println(m.Nodes(), m.RTT("n1", "n2"), m.Link("n1", "n2").Jitter)
	for i := range 3 {
		now := time.Duration(i) * time.Second
		f := m.Send(now, "n1", "n2", 1024, r)
		fmt.Println("n1->n2 one-way:", (f.Deliver - now).Round(time.Millisecond))
	}
	m.IsolateNode("n2")
	fmt.Println(m.Reachable("n1", "n2"), m.Send(3*time.Second, "n1", "n2", 1024, r).Drop, m.Cuts())
	m.HealAll()
	fmt.Println(m.Reachable("n1", "n2"))
	// Output:
	// [n1 n2 n3 n4 n5] 100ms uniform±10ms
	// n1->n2 one-way: 48ms
	// n1->n2 one-way: 43ms
	// n1->n2 one-way: 55ms
	// false true [cut#1: isolate node n2]
	// true
}

func ExampleThreeDCs() {
	m := netem.ThreeDCs(6)
	for _, z := range m.Zones() {
		fmt.Println(z, m.ZoneNodes(z))
	}
	fmt.Println("intra-zone RTT", m.RTT("n1", "n4"), "inter-zone RTT", m.RTT("n1", "n2"))
	// Output:
	// dc1 [n1 n4]
	// dc2 [n2 n5]
	// dc3 [n3 n6]
	// intra-zone RTT 500µs inter-zone RTT 100ms
}
