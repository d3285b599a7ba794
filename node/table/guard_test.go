package table

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
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
	release := guard(Funcs{Replication: fixed{nodes: []rt.NodeID{"n1"}}})
	release() // a layout without Guard: a no-op release, no panic
}

// TestNoLayoutIsAClearError checks that reads and writes of a key no node
// holds fail with ErrNoLayout, not with an opaque "0 of 0" quorum error.
func TestNoLayoutIsAClearError(t *testing.T) {
	w := sim.New(sim.Config{Seed: 1})
	defer w.Close()
	var tab *Table[row]
	w.AddNode("n1", "z1", func(env rt.Env) {
		tab = Open(env, rowSchema(), Funcs{Replication: fixed{}}, Config{NoWorkers: true})
	})
	if err := w.RunUntil(func() bool { return tab != nil }, time.Second); err != nil {
		t.Fatal(err)
	}
	var putErr, getErr error
	w.Go("client", func(ctx context.Context) {
		putErr = tab.Insert(ctx, mkRow("k", "", 1, "v"))
		_, _, getErr = tab.Get(ctx, []byte("k"), nil)
	})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{"put": putErr, "get": getErr} {
		if !errors.Is(err, ErrNoLayout) {
			t.Errorf("%s without a layout: got %v, want ErrNoLayout", name, err)
		}
	}
}
