package sim

import (
	"sort"

	"github.com/gogarage/garage/node/rt"
)

// FaultSpec arms a failpoint: when node code evaluates it, it fires with
// probability Prob (1 if zero) while Count firings remain (unlimited if
// zero), and returns Value (an error to fail with, a delay, a marker).
type FaultSpec struct {
	Prob  float64
	Count int
	Value any
}

// faultRegistry holds the armed failpoints of the world. Decisions draw on
// the world's "faults" stream only, never on global randomness.
type faultRegistry struct {
	w       *World
	armed   map[faultKey]*armedFault
	hits    map[faultKey]int
	armings map[string]int // per point name, over the whole run
}

// faultKey is a point, on one node or ("" node) on all nodes.
type faultKey struct {
	node rt.NodeID
	name string
}

type armedFault struct {
	spec FaultSpec
	left int
}

func newFaultRegistry(w *World) *faultRegistry {
	return &faultRegistry{w: w, armed: map[faultKey]*armedFault{}, hits: map[faultKey]int{},
		armings: map[string]int{}}
}

// Arm arms failpoint name on node id ("" for every node), replacing an
// earlier arming of the same point and scope. A node-specific arming takes
// precedence over an all-nodes one.
func (w *World) Arm(id rt.NodeID, name string, spec FaultSpec) {
	w.rts.armed[faultKey{id, name}] = &armedFault{spec: spec, left: spec.Count}
	w.rts.armings[name]++
}

// Disarm removes the arming of name on id ("" for the all-nodes one).
func (w *World) Disarm(id rt.NodeID, name string) { delete(w.rts.armed, faultKey{id, name}) }

// FaultHits returns how many times name fired on node id.
func (w *World) FaultHits(id rt.NodeID, name string) int { return w.rts.hits[faultKey{id, name}] }

// ArmedFaults returns the armed points as "node:name" (node empty for all
// nodes), sorted.
func (w *World) ArmedFaults() []string {
	var out []string
	for k := range w.rts.armed {
		out = append(out, string(k.node)+":"+k.name)
	}
	sort.Strings(out)
	return out
}

// FaultStat is what happened to one failpoint over a whole run.
type FaultStat struct {
	Name    string
	Armings int // times it was armed (on one node or on all)
	Hits    int // times it fired, on every node together
}

// FaultReport returns, for every failpoint armed or hit since the world
// began (disarmed ones included), how often it was armed and how often it
// fired, sorted by name.
func (w *World) FaultReport() []FaultStat {
	by := map[string]*FaultStat{}
	stat := func(name string) *FaultStat {
		if by[name] == nil {
			by[name] = &FaultStat{Name: name}
		}
		return by[name]
	}
	for name, n := range w.rts.armings {
		stat(name).Armings += n
	}
	for k, n := range w.rts.hits {
		stat(k.name).Hits += n
	}
	out := make([]FaultStat, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// forNode returns the rt.Faults of node id.
func (r *faultRegistry) forNode(id rt.NodeID) rt.Faults { return &nodeFaults{r: r, id: id} }

// nodeFaults is the sim rt.Faults of one node.
type nodeFaults struct {
	r  *faultRegistry
	id rt.NodeID
}

// Eval reports whether name fires now on this node, and its value.
func (f *nodeFaults) Eval(name string) (any, bool) {
	if len(f.r.armed) == 0 {
		return nil, false
	}
	a := f.r.armed[faultKey{f.id, name}]
	if a == nil {
		a = f.r.armed[faultKey{"", name}]
	}
	if a == nil || !a.fires(f.r.w.faultRand) {
		return nil, false
	}
	f.r.hits[faultKey{f.id, name}]++
	return a.spec.Value, true
}

// fires draws whether the point fires and counts the firing down.
func (a *armedFault) fires(r *Rand) bool {
	if a.spec.Count > 0 && a.left <= 0 {
		return false
	}
	if p := a.spec.Prob; p > 0 && p < 1 && r.Float64() >= p {
		return false
	}
	a.left--
	return true
}
