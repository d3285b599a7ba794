package nemesis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Nemesis is one class of faults. Draw must take every random choice from
// r and may read the topology, never the world: plans are made before the
// run and must replay from the seed.
type Nemesis interface {
	// Name is the class name used on command lines and in reports.
	Name() string
	// Draw picks one fault of this class.
	Draw(r *sim.Rand, t Topology) Fault
}

// Fault is one drawn fault: what to record and how to inject it. Start
// runs in a world task and returns the undo that ends the fault (nil if
// nothing needs undoing, e.g. a one-shot clock step).
type Fault struct {
	Kind  string // event kind in the history: "partition", "crash", ...
	Desc  string // human-readable details: "{n1,n2} | {n3,n4,n5}"
	Start func(w *sim.World) (undo func())
}

// Topology is what a nemesis may know of the cluster when drawing.
type Topology struct {
	Nodes []rt.NodeID          // in the order they were added
	Zones map[rt.NodeID]string // zone of each node
}

// TopologyOf reads the topology of w.
func TopologyOf(w *sim.World) Topology {
	t := Topology{Nodes: w.Nodes(), Zones: map[rt.NodeID]string{}}
	for _, id := range t.Nodes {
		t.Zones[id] = w.Zone(id)
	}
	return t
}

// ZoneNames returns the zones of the topology, sorted.
func (t Topology) ZoneNames() []string {
	seen := map[string]bool{}
	var zs []string
	for _, id := range t.Nodes {
		if z := t.Zones[id]; !seen[z] {
			seen[z] = true
			zs = append(zs, z)
		}
	}
	sort.Strings(zs)
	return zs
}

// InZone returns the nodes of zone z, in topology order.
func (t Topology) InZone(z string) []rt.NodeID {
	var out []rt.NodeID
	for _, id := range t.Nodes {
		if t.Zones[id] == z {
			out = append(out, id)
		}
	}
	return out
}

// Registry maps class names to nemeses.
type Registry struct {
	byName map[string]Nemesis
}

// NewRegistry returns a registry of the built-in classes: none, partition,
// zone, crash, pause, clock, net, disk, all (a mix of the others) and one
// partition-<shape> class per partition shape.
func NewRegistry() *Registry {
	r := &Registry{byName: map[string]Nemesis{}}
	for _, n := range builtins() {
		r.Add(n)
	}
	r.Add(Mix("all", Classes()...))
	for _, shape := range PartitionShapes() {
		r.Add(Partition{Shape: shape})
	}
	return r
}

// Add registers n under its name, replacing a class of the same name. It is
// the extension point for classes defined elsewhere (layout changes,
// consistency-mode flips); add them before building "all" mixes with Mix.
func (r *Registry) Add(n Nemesis) { r.byName[n.Name()] = n }

// Lookup returns the class called name.
func (r *Registry) Lookup(name string) (Nemesis, error) {
	n, ok := r.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown nemesis %q (known: %s)", name, strings.Join(r.Names(), ", "))
	}
	return n, nil
}

// Names returns the registered class names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Parse resolves a comma-separated list of class names ("partition,crash").
func (r *Registry) Parse(list string) ([]Nemesis, error) {
	var out []Nemesis
	for _, name := range strings.Split(list, ",") {
		n, err := r.Lookup(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Classes returns the built-in fault classes (all but none and the "all"
// mix), to build mixes that include classes defined elsewhere.
func Classes() []Nemesis { return builtins()[1:] }

func builtins() []Nemesis {
	return []Nemesis{None{}, Partition{}, ZoneDown{}, Crash{}, Pause{}, Clock{}, Net{}, Disk{}, Rot{}}
}

// None is the class without faults: the baseline of a campaign.
type None struct{}

// Name returns "none".
func (None) Name() string { return "none" }

// Draw returns a fault that does nothing.
func (None) Draw(*sim.Rand, Topology) Fault {
	return Fault{Kind: "none", Start: func(*sim.World) func() { return nil }}
}

// mix draws each fault from one of its classes, chosen at random.
type mix struct {
	name    string
	classes []Nemesis
}

// Mix returns a class called name whose every fault comes from one of
// classes, picked uniformly.
func Mix(name string, classes ...Nemesis) Nemesis { return mix{name: name, classes: classes} }

func (m mix) Name() string { return m.name }

func (m mix) Draw(r *sim.Rand, t Topology) Fault {
	return m.classes[r.IntN(len(m.classes))].Draw(r, t)
}
