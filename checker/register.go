package checker

import (
	"fmt"
	"sort"
)

// register gathers the operations of one register that the checks need.
type register struct {
	name   string
	writes []Op            // writes and deletes that may have happened, by call
	reads  []Op            // successful reads, by call
	failed map[string]OpID // values of writes that failed
	acked  ackIndex
	byVal  map[string]int // value -> index in writes ("" is absent)
	dels   []int          // indexes of deletes in writes
}

// registers splits h into registers, sorted by name.
func registers(h History, v Vocabulary) []*register {
	byName := make(map[string]*register)
	var names []string
	get := func(name string) *register {
		r, ok := byName[name]
		if !ok {
			r = &register{name: name, failed: make(map[string]OpID)}
			byName[name] = r
			names = append(names, name)
		}
		return r
	}
	for _, o := range h.Ops {
		switch {
		case v.isWrite(o) && o.Outcome == Fail:
			get(o.Register()).failed[o.Value] = o.ID
		case v.isWrite(o):
			if !v.is(o, RoleWrite) {
				o.Value = "" // a delete writes "absent"
			}
			r := get(o.Register())
			r.writes = append(r.writes, o)
		case v.is(o, RoleRead) && o.Outcome == OK:
			r := get(o.Register())
			r.reads = append(r.reads, o)
		}
	}
	sort.Strings(names)
	out := make([]*register, len(names))
	for i, n := range names {
		r := byName[n]
		byCall(r.writes)
		byCall(r.reads)
		r.index()
		out[i] = r
	}
	return out
}

// index builds the lookups the sweeps need; writes must be sorted.
func (g *register) index() {
	g.acked = newAckIndex(g.writes)
	g.byVal = make(map[string]int, len(g.writes))
	for i, w := range g.writes {
		if w.Value == "" {
			g.dels = append(g.dels, i)
		} else {
			g.byVal[w.Value] = i
		}
	}
}

func byCall(ops []Op) {
	sort.Slice(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
}

// ackIndex answers "of the writes acknowledged before stamp s, which was
// invoked last?" with a prefix maximum over writes sorted by return.
type ackIndex struct {
	returns []Stamp
	maxCall []Op // maxCall[i]: latest-invoked write among the first i+1
}

func newAckIndex(writes []Op) ackIndex {
	var acked []Op
	for _, w := range writes {
		if w.Outcome == OK {
			acked = append(acked, w)
		}
	}
	sort.Slice(acked, func(i, j int) bool { return acked[i].Return < acked[j].Return })
	ix := ackIndex{returns: make([]Stamp, len(acked)), maxCall: make([]Op, len(acked))}
	for i, w := range acked {
		ix.returns[i] = w.Return
		ix.maxCall[i] = w
		if i > 0 && ix.maxCall[i-1].Call > w.Call {
			ix.maxCall[i] = ix.maxCall[i-1]
		}
	}
	return ix
}

// latestBefore returns the latest-invoked write acknowledged before s.
func (ix ackIndex) latestBefore(s Stamp) (Op, bool) {
	n := sort.Search(len(ix.returns), func(i int) bool { return ix.returns[i] >= s })
	if n == 0 {
		return Op{}, false
	}
	return ix.maxCall[n-1], true
}

// source is a write a read may have observed; the initial (absent) state is
// the source with ID 0 spanning (-inf, -inf).
type source struct {
	op      Op
	initial bool
}

// sources returns the writes that could have produced what read r saw,
// sorted by call.
func (g *register) sources(r Op) []source {
	var out []source
	if len(r.Observed) == 0 {
		out = append(out, source{op: Op{Call: ninf, Return: ninf}, initial: true})
		for _, i := range g.dels {
			out = append(out, source{op: g.writes[i]})
		}
		return out
	}
	for _, v := range r.Observed {
		if i, ok := g.byVal[v]; ok {
			out = append(out, source{op: g.writes[i]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].op.Call < out[j].op.Call })
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// sweepRead is the direct read-after-write rule: read r is fine iff some
// write s it may have observed was invoked before r returned and was not
// superseded by a write invoked after s returned and acknowledged before r
// was invoked. It returns the violation when r is not fine.
func (g *register) sweepRead(r Op) (Violation, bool) {
	valid, srcs, latest := g.justify(r)
	if len(valid) > 0 {
		return Violation{}, true
	}
	return g.explain(r, srcs, latest), false
}

// justify returns the sources that satisfy the read-after-write rule for
// r, all its sources, and the latest-invoked write acknowledged before r.
func (g *register) justify(r Op) (valid, srcs []source, latest Op) {
	latest, any := g.acked.latestBefore(r.Call)
	srcs = g.sources(r)
	for _, s := range srcs {
		if s.op.Call < r.Return && (!any || s.op.Return > latest.Call) {
			valid = append(valid, s)
		}
	}
	return valid, srcs, latest
}

// explain builds the violation of a read that no source can justify.
func (g *register) explain(r Op, srcs []source, latest Op) Violation {
	v := Violation{Rule: "stale-read", Key: g.name, Ops: []OpID{r.ID}}
	seen := describeObserved(r.Observed)
	switch {
	case len(srcs) == 0:
		v.Rule = "unwritten-value"
		v.Explain = fmt.Sprintf("read saw %s, which no write that may have happened wrote%s", seen, g.failedNote(r))
	case srcs[0].op.Call > r.Return: // sources are sorted by call
		v.Rule = "future-read"
		v.Ops = append(v.Ops, srcs[0].op.ID)
		v.Explain = fmt.Sprintf("read returned at %v with %s, written by %v invoked later at %v", r.Return, seen, srcs[0].op.ID, srcs[0].op.Call)
	default:
		v.Ops = append(v.Ops, latest.ID)
		v.Explain = fmt.Sprintf("read invoked at %v saw %s, superseded by %v (%s invoked at %v, acknowledged at %v)",
			r.Call, seen, latest.ID, describeWrite(latest), latest.Call, latest.Return)
	}
	return v
}

func (g *register) failedNote(r Op) string {
	for _, val := range r.Observed {
		if id, ok := g.failed[val]; ok {
			return fmt.Sprintf(" (only %v, which failed)", id)
		}
	}
	return ""
}

func describeObserved(obs []string) string {
	switch len(obs) {
	case 0:
		return "absent"
	case 1:
		return fmt.Sprintf("%q", obs[0])
	default:
		return fmt.Sprintf("%q", obs)
	}
}

func describeWrite(w Op) string {
	if w.Value == "" {
		return "delete"
	}
	return fmt.Sprintf("write %q", w.Value)
}
