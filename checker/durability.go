package checker

import "fmt"

// Durability checks that acknowledged writes survive: every register with
// an acknowledged write must have a successful final read (Op.Final, see
// History.MarkFinal), and each final read must see the latest
// acknowledged write or a later one — by real time (as in
// read-after-write) and, where the system reported LWW timestamps, by
// timestamp: after convergence a quorum read returns the highest
// timestamp, so seeing a value with a lower timestamp than an acknowledged
// write concurrent with it or later means that write was lost. A history without final operations is not judged (Info says
// so).
func Durability(h History, o Options) Result {
	attempts, anyFinal := finalAttempts(h, o.vocab())
	if !anyFinal {
		return newResult(CheckDurability, 0, nil, "no final reads: not judged")
	}
	var vs []Violation
	keys := 0
	for _, g := range registers(h, o.vocab()) {
		if len(g.acked.returns) == 0 {
			continue
		}
		keys++
		vs = append(vs, g.checkFinal(attempts[g.name])...)
	}
	return newResult(CheckDurability, keys, vs, fmt.Sprintf("%d registers with acknowledged writes", keys))
}

// finalAttempts counts final read attempts per register, whatever their
// outcome, and reports whether the history has any final operation.
func finalAttempts(h History, v Vocabulary) (map[string]int, bool) {
	n := make(map[string]int)
	any := false
	for _, o := range h.Ops {
		any = any || o.Final
		if o.Final && v.is(o, RoleRead) {
			n[o.Register()]++
		}
	}
	return n, any
}

func (g *register) checkFinal(attempts int) []Violation {
	var vs []Violation
	finals := 0
	for _, r := range g.reads {
		if !r.Final {
			continue
		}
		finals++
		if v, bad := g.lostBy(r); bad {
			vs = append(vs, v)
		}
	}
	if finals == 0 {
		vs = append(vs, Violation{Rule: "unreadable", Key: g.name,
			Explain: fmt.Sprintf("acknowledged writes but none of %d final reads succeeded", attempts)})
	}
	return vs
}

// lostBy judges one final read.
func (g *register) lostBy(r Op) (Violation, bool) {
	valid, srcs, latest := g.justify(r)
	if len(valid) == 0 {
		v := g.explain(r, srcs, latest)
		v.Rule = "lost-write"
		return v, true
	}
	var top Op
	for _, s := range valid {
		w, newer := g.newerAcked(s.op, r.Call)
		if !newer {
			return Violation{}, false
		}
		top = w
	}
	return Violation{Rule: "lost-write", Key: g.name, Ops: []OpID{r.ID, top.ID},
		Explain: fmt.Sprintf("final read saw %s, older than %v (%s, ts %d) acknowledged at %v",
			describeObserved(r.Observed), top.ID, describeWrite(top), *top.TS, top.Return)}, true
}

// newerAcked returns a write acknowledged before stamp s, not known to
// precede source w in real time, whose timestamp is higher than w's: in an
// LWW register it must win over w. Sources without a timestamp are never
// judged.
func (g *register) newerAcked(w Op, s Stamp) (Op, bool) {
	if w.TS == nil {
		return Op{}, false
	}
	for _, a := range g.writes {
		if a.Outcome == OK && a.ID != w.ID && a.Return < s && a.Return > w.Call && a.TS != nil && *a.TS > *w.TS {
			return a, true
		}
	}
	return Op{}, false
}
