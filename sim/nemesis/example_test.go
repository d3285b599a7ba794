package nemesis_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// Example plans a partition schedule from a seed and plays it in a world,
// then heals everything for the liveness phase.
func Example() {
	w := sim.New(sim.Config{Seed: 1})
	defer w.Close()
	for _, id := range []rt.NodeID{"n1", "n2", "n3", "n4", "n5"} {
		w.AddNode(id, "z1", func(rt.Env) {})
	}
	n, _ := nemesis.NewRegistry().Lookup("partition-halves")
	tm := nemesis.Timing{GapMin: time.Second, GapMax: time.Second, HoldMin: 2 * time.Second, HoldMax: 2 * time.Second}
	eps := nemesis.Plan(n, w.Rand("nemesis"), nemesis.TopologyOf(w), 6*time.Second, tm)
	x := nemesis.NewExec(w, func(kind, desc string) { fmt.Println(strings.TrimSpace(fmt.Sprintf("@%v %s %s", w.Now(), kind, desc))) })
	nemesis.Start(w, x, eps)
	_ = w.RunFor(10 * time.Second)
	x.Heal()
	// Output:
	// @1s partition halves: {n2,n3,n4} | {n1,n5}
	// @3s heal-partition
	// @4s partition halves: {n1,n2,n4} | {n3,n5}
	// @6s heal-partition
	// @10s heal all faults healed
}
