package fail

import (
	"fmt"
	"slices"
	"sync"

	"github.com/gogarage/garage/node/rt"
)

// Source is the random stream a Registry draws its decisions from; rt.Rand
// and the simulator's per-subsystem streams satisfy it.
type Source interface {
	// Float64 returns a value in [0, 1).
	Float64() float64
}

// Spec says when an armed point fires and what it fires with.
type Spec struct {
	// Prob is the chance that an eligible evaluation fires, in (0, 1]. At 1
	// no random number is drawn.
	Prob float64
	// Skip is how many evaluations pass before the point becomes eligible.
	Skip int
	// Count bounds how many times the point fires; zero means no bound.
	Count int
	// Value is what a fire yields: an error, a Delay, a Crash or any marker.
	Value any
}

// Always returns a Spec that fires on every evaluation with v.
func Always(v any) Spec { return Spec{Prob: 1, Value: v} }

// Once returns a Spec that fires with v on the first evaluation only.
func Once(v any) Spec { return Spec{Prob: 1, Count: 1, Value: v} }

// Stat is what a Faults implementation knows of one point.
type Stat struct {
	Name  string
	Armed bool // armed now (and, in a Registry, not exhausted)
	Evals int  // evaluations since the implementation was made
	Hits  int  // evaluations that fired
}

// Registry is the deterministic rt.Faults of the simulator. Firing depends
// only on the sequence of evaluations and the Source: a random number is
// drawn only when an armed, eligible point has Prob < 1, so unarmed points
// never perturb the stream. It is safe for concurrent use.
type Registry struct {
	mu    sync.Mutex
	src   Source
	armed map[string]*arming
	stats map[string]*Stat
}

type arming struct {
	spec  Spec
	seen  int // evaluations while armed
	fired int
}

var _ rt.Faults = (*Registry)(nil)

// NewRegistry returns a registry with nothing armed, drawing from src.
func NewRegistry(src Source) *Registry {
	return &Registry{src: src, armed: map[string]*arming{}, stats: map[string]*Stat{}}
}

// Arm arms the named point with s, replacing any earlier arming (its skip
// and count start afresh). It fails on an empty name or an invalid Spec.
func (r *Registry) Arm(name string, s Spec) error {
	if name == "" {
		return fmt.Errorf("arm failpoint: empty name")
	}
	if !(s.Prob > 0 && s.Prob <= 1) || s.Skip < 0 || s.Count < 0 {
		return fmt.Errorf("arm failpoint %s: invalid spec %+v", name, s)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.armed[name] = &arming{spec: s}
	r.stat(name)
	return nil
}

// Disarm disarms the named point; its counts are kept.
func (r *Registry) Disarm(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.armed, name)
}

// Eval implements rt.Faults.
func (r *Registry) Eval(name string) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.stat(name)
	st.Evals++
	a := r.armed[name]
	if a == nil || !a.fire(r.src) {
		return nil, false
	}
	st.Hits++
	return a.spec.Value, true
}

// fire decides one evaluation of an armed point and updates its counters.
func (a *arming) fire(src Source) bool {
	a.seen++
	if a.seen <= a.spec.Skip || a.exhausted() {
		return false
	}
	if a.spec.Prob < 1 && src.Float64() >= a.spec.Prob {
		return false
	}
	a.fired++
	return true
}

func (a *arming) exhausted() bool { return a.spec.Count > 0 && a.fired >= a.spec.Count }

// Hits returns how many times the named point fired.
func (r *Registry) Hits(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stats[name]; ok {
		return st.Hits
	}
	return 0
}

// Stats returns every point ever armed or evaluated, sorted by name.
func (r *Registry) Stats() []Stat {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.stats))
	for name := range r.stats {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]Stat, 0, len(names))
	for _, name := range names {
		st := *r.stats[name]
		a := r.armed[name]
		st.Armed = a != nil && !a.exhausted()
		out = append(out, st)
	}
	return out
}

// stat returns the counters of name, creating them. r.mu must be held.
func (r *Registry) stat(name string) *Stat {
	st, ok := r.stats[name]
	if !ok {
		st = &Stat{Name: name}
		r.stats[name] = st
	}
	return st
}
