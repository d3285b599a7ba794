package campaign

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// registry returns the nemesis registry of a run: sc.Registry or the
// built-in one, plus "layout", "mode-flip", and an "all" mix that includes
// layout changes.
func (r *run) registry() *nemesis.Registry {
	reg := r.sc.Registry
	if reg == nil {
		reg = nemesis.NewRegistry()
	}
	reg.Add(layoutChanges{r: r})
	reg.Add(nemesis.Mix("all", append(nemesis.Classes(), layoutChanges{r: r})...))
	reg.Add(modeFlips{r: r})
	return reg
}

// NemesisNames returns every nemesis class a campaign knows, sorted.
func NemesisNames() []string {
	names := append(nemesis.NewRegistry().Names(), layoutChanges{}.Name(), modeFlips{}.Name())
	slices.Sort(names)
	return slices.Compact(names)
}

// NegativeControls lists the nemesis classes that are negative controls:
// campaigns under them are expected to fail.
func NegativeControls() []string { return []string{modeFlips{}.Name()} }

// CheckNemesis reports an unknown nemesis class name.
func CheckNemesis(name string) error {
	if slices.Contains(NemesisNames(), name) {
		return nil
	}
	return fmt.Errorf("unknown nemesis %q (known: %s)", name, strings.Join(NemesisNames(), ", "))
}

// CheckWorkload reports an unknown workload name.
func CheckWorkload(name string) error {
	if slices.Contains(Workloads(), name) {
		return nil
	}
	return fmt.Errorf("unknown workload %q (known: %s)", name, strings.Join(Workloads(), ", "))
}

// modeFlips is a negative-control nemesis class: each fault switches every
// node's quorums to those of degraded (R = 1) or dangerous (R = W = 1)
// mode and splits the cluster in random halves at the same time, then
// restores both. Like a wrong consistency_mode deployed during a
// partition, it must make the checker report stale reads; a campaign in
// which it passes would mean the checks cannot see the quorums at work.
type modeFlips struct {
	r *run
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
	return nemesis.Fault{Kind: "mode-flip", Desc: "quorums of " + mode.String() + " mode under a partition",
		Start: func(w *sim.World) func() { return m.flip(w, mode, seed) }}
}

// flip overrides the quorums and cuts the network; the returned undo
// restores both.
func (m modeFlips) flip(w *sim.World, mode table.Mode, seed uint64) func() {
	m.override(&mode)
	cut, major, minor := w.Network().PartitionHalves(netem.NewRand(seed))
	m.r.h.Rec.Nemesis("mode-flip", fmt.Sprintf("%v -> %v, halves %v | %v", m.r.sc.Mode(), mode, major, minor))
	return func() {
		m.override(nil)
		w.Network().Heal(cut)
		m.r.h.Rec.Nemesis("mode-flip", "mode back to "+m.r.sc.Mode().String()+", healed")
	}
}

// override sets mode on the current incarnation of every node.
func (m modeFlips) override(mode *table.Mode) {
	for i := range m.r.c.IDs {
		if n := m.r.c.Node(i); n != nil {
			n.SetModeOverride(mode)
		}
	}
}
