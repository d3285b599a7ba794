package table

import (
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// guardedLayout counts the writes holding the layout's ack lock.
type guardedLayout struct {
	Layout
	held, max, taken *int
}

func (g guardedLayout) Guard() func() {
	*g.held++
	*g.taken++
	*g.max = max(*g.max, *g.held)
	return func() { *g.held-- }
}

// TestWritesHoldTheAckLock checks that every table write holds the
// layout's guard while it is in flight, and releases it afterwards: without
// it a node could acknowledge a new layout version while a write planned
// under the old one is still travelling.
func TestWritesHoldTheAckLock(t *testing.T) {
	var held, most, taken int
	c := newCluster(t, clusterOpts{seed: 3, nodes: 5, wrap: func(_ *Static, l Layout) Layout {
		return guardedLayout{Layout: l, held: &held, max: &most, taken: &taken}
	}})
	if err := c.insert(c.ids[0], mkRow("p", "a", 10, "x"), mkRow("p", "b", 10, "y")); err != nil {
		t.Fatal(err)
	}
	if taken == 0 || most == 0 {
		t.Fatalf("insert took the guard %d times (max held %d): writes run unguarded", taken, most)
	}
	if held != 0 {
		t.Fatalf("%d guards still held after the write returned", held)
	}
}

func TestGuardWithoutAckLock(t *testing.T) {
	release := guard(&Ring{Nodes: []rt.NodeID{"n1"}, RF: 1})
	release() // a layout without Guard: a no-op release, no panic
}
