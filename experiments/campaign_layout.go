package experiments

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// capacity is the storage capacity of every node of the set table.
const capacity = 1e12

// layoutChanges is the nemesis class of layout changes during traffic, as
// Garage's Jepsen "r" nemesis: each fault applies a new layout version
// that removes a storage node, adds one (a spare, or one removed before),
// moves one to another zone, changes its capacity, or replaces the set's
// whole replica set by the nodes without a role. Changes are not undone: the liveness phase runs
// on whatever layout the safety phase ended with. It acts on the set
// table's layout, so it exists only for the set workload.
type layoutChanges struct {
	run *scenarioRun
}

var _ nemesis.Nemesis = layoutChanges{}

// Name returns "layout".
func (layoutChanges) Name() string { return "layout" }

// Draw draws a number now and picks the change when the fault starts, from
// the layout of that moment: plans stay a function of the seed.
func (l layoutChanges) Draw(r *sim.Rand, _ nemesis.Topology) nemesis.Fault {
	pick := r.Uint64()
	return nemesis.Fault{Kind: "layout", Desc: "change", Start: func(w *sim.World) func() {
		l.change(w, pick)
		return nil
	}}
}

// change stages one change, applies it as the next version and records
// what happened in the history.
func (l layoutChanges) change(w *sim.World, pick uint64) {
	var desc string
	ts := layout.Timestamp(w.Now().Milliseconds() + 3)
	sets := l.run.st.For("").Sharding().PartOf([32]byte(table.Key([]byte(l.run.sc.Set.setName()), nil))).Sets
	setNodes := sets[len(sets)-1] // read before Update, which holds the layout's lock
	err := l.run.st.Update(func(h *layout.History) error {
		var err error
		if desc, err = l.stage(h, pick, ts, setNodes); err != nil {
			return err
		}
		_, err = h.Apply(h.Current().Number+1, ts)
		return err
	})
	if err != nil {
		desc += " rejected: " + err.Error()
	} else {
		desc += fmt.Sprintf(" -> v%d", l.run.st.History().Current().Number)
	}
	l.run.h.Rec.Nemesis("layout", desc)
}

// stage stages the change pick selects among those possible now.
func (l layoutChanges) stage(h *layout.History, pick uint64, ts layout.Timestamp, setNodes []rt.NodeID) (string, error) {
	cur := h.Current()
	var out []rt.NodeID
	for _, id := range l.run.ids {
		if _, ok := cur.Role(id); !ok {
			out = append(out, id)
		}
	}
	in := cur.Storage
	n := pick / 6
	switch {
	case pick%6 == 0 && len(in) > l.run.sc.RF:
		id := in[n%uint64(len(in))]
		return "remove " + string(id), h.Remove(id, ts)
	case pick%6 == 1 && len(out) > 0:
		id := out[n%uint64(len(out))]
		return "add " + string(id), h.Assign(id, layout.StorageRole(l.zoneOf(id), capacity), ts)
	case pick%6 == 2:
		id := in[n%uint64(len(in))]
		zone := fmt.Sprintf("z%d", n%uint64(max(l.run.sc.Zones, 1))+1)
		return fmt.Sprintf("move %s to %s", id, zone), h.Assign(id, layout.StorageRole(zone, capacity), ts)
	case pick%6 >= 4 && len(out) >= l.run.sc.RF: // the change that moves data most, twice as likely
		return l.replace(h, setNodes, out, ts)
	}
	id := in[n%uint64(len(in))]
	role, _ := cur.Role(id)
	return fmt.Sprintf("capacity of %s ×2", id), h.Assign(id, layout.StorageRole(role.Zone, 2*role.Capacity), ts)
}

// replace moves the set's partition to new nodes at once: every node of its
// current replica set leaves the layout and every node without a role
// joins (the set then lives only on nodes that hold none of it yet).
func (l layoutChanges) replace(h *layout.History, old, out []rt.NodeID, ts layout.Timestamp) (string, error) {
	for _, id := range old {
		if err := h.Remove(id, ts); err != nil {
			return "replace", err
		}
	}
	for _, id := range out {
		if err := h.Assign(id, layout.StorageRole(l.zoneOf(id), capacity), ts); err != nil {
			return "replace", err
		}
	}
	return fmt.Sprintf("replace %v by %v", old, out), nil
}

func (l layoutChanges) zoneOf(id rt.NodeID) string { return l.run.sc.zone(slices.Index(l.run.ids, id)) }

// singleVersion is the negative control of multi-version layouts: a layout
// that, during a transition, writes to and reads from the newest version
// only, as if the switch were atomic. Acknowledged writes still only on the
// old version's nodes are then missed by reads.
type singleVersion struct {
	table.Layout
	self rt.NodeID
}

// WriteSets keeps only the newest version's set.
func (v singleVersion) WriteSets(key []byte) [][]rt.NodeID {
	sets := v.Layout.WriteSets(key)
	return sets[len(sets)-1:]
}

// ReadNodes reads the newest version's set, this node first.
func (v singleVersion) ReadNodes(key []byte) []rt.NodeID {
	newest := slices.Clone(v.WriteSets(key)[0])
	if i := slices.Index(newest, v.self); i > 0 {
		newest = append(append([]rt.NodeID{v.self}, newest[:i]...), newest[i+1:]...)
	}
	return newest
}

// Sharding shows the workers the newest version only.
func (v singleVersion) Sharding() table.Sharding {
	s := v.Layout.Sharding()
	parts := make([]table.Part, len(s.Parts))
	for i, p := range s.Parts {
		parts[i] = p
		if len(p.Sets) > 1 {
			parts[i] = table.Part{Sets: p.Sets[len(p.Sets)-1:]}
		}
	}
	s.Parts = parts
	return s
}

// registryFor returns the nemesis registry of a run: sc.Registry or the
// built-in one, plus, when the run has a set table, the layout class and
// an "all" mix that includes it.
func (r *scenarioRun) registryFor() *nemesis.Registry {
	reg := r.sc.Registry
	if reg == nil {
		reg = nemesis.NewRegistry()
	}
	if r.st != nil {
		reg.Add(layoutChanges{run: r})
		reg.Add(nemesis.Mix("all", append(nemesis.Classes(), layoutChanges{run: r})...))
	}
	if r.ring != nil && r.sc.WorkloadName == WorkloadRegister {
		reg.Add(modeFlips{run: r})
	}
	return reg
}

// layoutFor returns the set table's layout as node id sees it, reduced to
// the newest version under the single-version negative control.
func (r *scenarioRun) layoutFor(id rt.NodeID) table.Layout {
	if r.sc.SingleVersionLayout {
		return singleVersion{Layout: r.st.For(id), self: id}
	}
	return r.st.For(id)
}

// NemesisNames returns every nemesis class a campaign knows: the built-in
// ones, "layout" (set workload only) and "mode-flip" (register workload
// only, a negative control), sorted.
func NemesisNames() []string {
	names := append(nemesis.NewRegistry().Names(), layoutChanges{}.Name(), modeFlips{}.Name())
	slices.Sort(names)
	return names
}

// CheckNemesis reports an unknown nemesis class name.
func CheckNemesis(name string) error {
	if slices.Contains(NemesisNames(), name) {
		return nil
	}
	return fmt.Errorf("unknown nemesis %q (known: %s)", name, strings.Join(NemesisNames(), ", "))
}
