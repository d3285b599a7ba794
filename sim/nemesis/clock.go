package nemesis

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// DefaultMaxSkew bounds the clock offsets of the Clock class when its Max
// is zero.
const DefaultMaxSkew = 10 * time.Second

// Clock is the class of clock faults on the nodes' wall clocks: a random
// offset of one node, a fast or slow drift, a scramble (every node gets a
// random offset) or a step back or forth, each up to ±Max. The undo puts
// every touched clock back to its offset before the fault, without drift.
type Clock struct {
	Max time.Duration // largest offset; zero means DefaultMaxSkew
}

// Name returns "clock".
func (Clock) Name() string { return "clock" }

// Draw picks the clock fault.
func (c Clock) Draw(r *sim.Rand, t Topology) Fault {
	limit := c.Max
	if limit <= 0 {
		limit = DefaultMaxSkew
	}
	off := func() time.Duration { return time.Duration((r.Float64()*2 - 1) * float64(limit)) }
	one := t.Nodes[r.IntN(len(t.Nodes))]
	switch r.IntN(4) {
	case 0:
		d := off()
		return clockFault("skew", fmt.Sprintf("%s offset %v", one, d), []rt.NodeID{one},
			func(c *sim.ClockCtl, _ int) { c.SetOffset(d) })
	case 1:
		ppm := (r.Float64()*2 - 1) * 2e5 // up to ±20 %: seconds of skew over a run
		return clockFault("drift", fmt.Sprintf("%s drift %+.0f ppm", one, ppm), []rt.NodeID{one},
			func(c *sim.ClockCtl, _ int) { c.SetDrift(ppm) })
	case 2:
		offs := make([]time.Duration, len(t.Nodes))
		for i := range offs {
			offs[i] = off()
		}
		return clockFault("scramble", fmt.Sprintf("offsets %v", offs), t.Nodes,
			func(c *sim.ClockCtl, i int) { c.SetOffset(offs[i]) })
	}
	d := off()
	return clockFault("step", fmt.Sprintf("%s step %v", one, d), []rt.NodeID{one},
		func(c *sim.ClockCtl, _ int) { c.Step(d) })
}

// clockFault applies set to the clock of each of ids and restores their
// offsets, without drift, on undo.
func clockFault(shape, desc string, ids []rt.NodeID, set func(c *sim.ClockCtl, i int)) Fault {
	return Fault{Kind: "clock", Desc: shape + ": " + desc, Start: func(w *sim.World) func() {
		before := make([]time.Duration, len(ids))
		for i, id := range ids {
			c := w.Clock(id)
			before[i] = c.Skew()
			set(c, i)
		}
		return func() {
			for i, id := range ids {
				w.Clock(id).SetDrift(0)
				w.Clock(id).SetOffset(before[i])
			}
		}
	}}
}
