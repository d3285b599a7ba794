package nemesis

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// newWorld returns a booted world of n idle nodes spread over three zones,
// with 50 ms one-way latency everywhere.
func newWorld(t *testing.T, seed uint64, n int) *sim.World {
	t.Helper()
	w := sim.New(sim.Config{Seed: seed})
	t.Cleanup(w.Close)
	w.Network().SetLatency(netem.AllLinks(), 50*time.Millisecond)
	for i := range n {
		w.AddNode(rt.NodeID(fmt.Sprintf("n%d", i+1)), fmt.Sprintf("z%d", i%3+1), func(rt.Env) {})
	}
	if err := w.RunFor(time.Millisecond); err != nil {
		t.Fatal(err)
	}
	return w
}

// state is what a fault may change and an undo or a heal must restore.
type state struct {
	cuts   int
	links  string // every directed link's resolved settings
	skews  string
	down   int
	paused int
	armed  int
}

func snapshot(w *sim.World) state {
	var s state
	m := w.Network()
	s.cuts = len(m.Cuts())
	for _, a := range w.Nodes() {
		for _, b := range w.Nodes() {
			if a != b {
				s.links += fmt.Sprintf("%s>%s %v;", a, b, m.Link(string(a), string(b)))
			}
		}
		s.skews += fmt.Sprintf("%s:%v;", a, w.Clock(a).Skew())
		if !w.Up(a) {
			s.down++
		}
		if w.Paused(a) {
			s.paused++
		}
	}
	s.armed = len(w.ArmedFaults())
	return s
}

// inWorld runs fn as a world task and waits for it.
func inWorld(t *testing.T, w *sim.World, fn func()) {
	t.Helper()
	done := false
	w.Go("test", func(ctx context.Context) { fn(); done = true })
	if err := w.RunUntil(func() bool { return done }, time.Second); err != nil {
		t.Fatal(err)
	}
}
