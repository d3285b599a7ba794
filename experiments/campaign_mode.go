package experiments

import (
	"fmt"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// modeFlips is a negative-control nemesis class: each fault flips the
// register store's consistency mode to degraded (R = 1) or dangerous
// (R = W = 1) and splits the cluster in random halves at the same time,
// then restores both. Like a wrong consistency_mode deployed during a
// partition, it must make the checker report stale reads; a campaign in
// which it passes would mean the checks cannot see the quorums at work.
// It acts on the register store, so it exists only for the register
// workload.
type modeFlips struct {
	run *scenarioRun
}

var _ nemesis.Nemesis = modeFlips{}

// Name returns "mode-flip".
func (modeFlips) Name() string { return "mode-flip" }

// Draw picks the mode and the halves from the plan's stream.
func (m modeFlips) Draw(r *sim.Rand, _ nemesis.Topology) nemesis.Fault {
	mode := table.Degraded
	if r.IntN(2) == 1 {
		mode = table.Dangerous
	}
	seed := r.Uint64()
	return nemesis.Fault{Kind: "mode-flip", Desc: "consistency mode " + mode.String() + " under a partition",
		Start: func(w *sim.World) func() { return m.flip(w, mode, seed) }}
}

// flip sets the mode and cuts the network; the returned undo restores
// both.
func (m modeFlips) flip(w *sim.World, mode table.Mode, seed uint64) func() {
	ring := m.run.ring
	old := ring.Mode
	ring.Mode = mode
	cut, major, minor := w.Network().PartitionHalves(netem.NewRand(seed))
	m.run.h.Rec.Nemesis("mode-flip", fmt.Sprintf("%v -> %v, halves %v | %v", old, mode, major, minor))
	return func() {
		ring.Mode = old
		w.Network().Heal(cut)
		m.run.h.Rec.Nemesis("mode-flip", "mode back to "+old.String()+", healed")
	}
}
