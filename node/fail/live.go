package fail

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pingcap/failpoint"

	"github.com/gogarage/garage/node/rt"
)

// Prefix is the default failpath prefix of real-mode points: point name is
// evaluated as failpoint path Prefix+name, e.g.
// GO_FAILPOINTS='github.com/gogarage/garage/node/fail/block-read=return("crash")'.
const Prefix = "github.com/gogarage/garage/node/fail/"

// Live is the real-mode rt.Faults: it evaluates points in pingcap
// failpoint's process-wide runtime registry (filled from GO_FAILPOINTS at
// start-up, by failpoint.Enable, or by Live.Enable). Fired string values go
// through Decode. Terms that fire without a value (sleep, print, off) have
// already acted inside the library: they count as hits but report not
// fired, as the caller has nothing left to do. It is safe for concurrent
// use.
type Live struct {
	prefix string
	mu     sync.Mutex
	stats  map[string]*Stat
}

var _ rt.Faults = (*Live)(nil)

// Real returns a Live evaluating failpaths under Prefix.
func Real() *Live { return RealWithPrefix(Prefix) }

// RealWithPrefix returns a Live evaluating failpaths under prefix, which
// lets tests keep their points apart.
func RealWithPrefix(prefix string) *Live {
	return &Live{prefix: prefix, stats: map[string]*Stat{}}
}

// Path returns the pingcap failpath of the named point.
func (l *Live) Path(name string) string { return l.prefix + name }

// Enable arms the named point with pingcap terms, e.g. `return("crash")`,
// `1*return("error:disk full")` or `25%return("delay:50ms")`.
func (l *Live) Enable(name, terms string) error {
	if err := failpoint.Enable(l.Path(name), terms); err != nil {
		return fmt.Errorf("enable failpoint %s: %w", name, err)
	}
	return nil
}

// Disable disarms the named point.
func (l *Live) Disable(name string) error {
	if err := failpoint.Disable(l.Path(name)); err != nil {
		return fmt.Errorf("disable failpoint %s: %w", name, err)
	}
	return nil
}

// Eval implements rt.Faults.
func (l *Live) Eval(name string) (any, bool) {
	v, err := failpoint.Eval(l.Path(name))
	l.count(name, err == nil)
	if err != nil || v == nil {
		return nil, false
	}
	return Decode(v), true
}

func (l *Live) count(name string, hit bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.stats[name]
	if !ok {
		st = &Stat{Name: name}
		l.stats[name] = st
	}
	st.Evals++
	if hit {
		st.Hits++
	}
}

// Stats returns every point under the prefix that is enabled in the
// library or was evaluated through l, sorted by name.
func (l *Live) Stats() []Stat {
	armed := l.armed()
	l.mu.Lock()
	defer l.mu.Unlock()
	names := slices.Clone(armed)
	for name := range l.stats {
		names = append(names, name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	out := make([]Stat, 0, len(names))
	for _, name := range names {
		st := Stat{Name: name}
		if s, ok := l.stats[name]; ok {
			st = *s
		}
		_, st.Armed = slices.BinarySearch(armed, name)
		out = append(out, st)
	}
	return out
}

// armed returns the sorted names of the points under the prefix that are
// enabled in the library.
func (l *Live) armed() []string {
	var names []string
	for _, path := range failpoint.List() {
		name, ok := strings.CutPrefix(path, l.prefix)
		if !ok {
			continue
		}
		if _, err := failpoint.Status(path); err != nil {
			continue // disabled, or removed meanwhile
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
