package checker

import (
	"fmt"
	"sort"
)

// TimestampMonotonicity checks, per register, that a write acknowledged
// before another write was invoked got a strictly smaller LWW timestamp:
// W1 returned before W2 invoked ⇒ ts(W1) < ts(W2). Writes without a
// reported timestamp are skipped.
func TimestampMonotonicity(h History, o Options) Result {
	var vs []Violation
	writes := 0
	for _, g := range registers(h, o.vocab()) {
		ws := stamped(g.writes)
		writes += len(ws)
		vs = append(vs, inversions(ws, g.name)...)
	}
	return newResult(CheckTSKey, writes, vs, fmt.Sprintf("%d timestamped writes", writes))
}

// GlobalTimestampMonotonicity is TimestampMonotonicity across all
// registers. Garage only orders timestamps per key, so this is a canary.
func GlobalTimestampMonotonicity(h History, o Options) Result {
	var all []Op
	for _, g := range registers(h, o.vocab()) {
		all = append(all, stamped(g.writes)...)
	}
	res := newResult(CheckTSGlobal, len(all), inversions(all, ""), fmt.Sprintf("%d timestamped writes", len(all)))
	res.Canary = true
	return res
}

func stamped(ws []Op) []Op {
	var out []Op
	for _, w := range ws {
		if w.TS != nil {
			out = append(out, w)
		}
	}
	return out
}

// inversions sweeps writes in call order, keeping the acknowledged write
// with the highest timestamp among those returned so far. key names the
// register in violations; "" means each write's own register.
func inversions(ws []Op, key string) []Violation {
	calls := append([]Op(nil), ws...)
	byCall(calls)
	var rets []Op
	for _, w := range ws {
		if w.Outcome == OK {
			rets = append(rets, w)
		}
	}
	sort.Slice(rets, func(i, j int) bool { return rets[i].Return < rets[j].Return })
	var vs []Violation
	var top Op
	next := 0
	for _, w2 := range calls {
		for ; next < len(rets) && rets[next].Return < w2.Call; next++ {
			if top.TS == nil || *rets[next].TS > *top.TS {
				top = rets[next]
			}
		}
		if top.TS != nil && *w2.TS <= *top.TS {
			vs = append(vs, inversion(top, w2, key))
		}
	}
	return vs
}

func inversion(w1, w2 Op, key string) Violation {
	if key == "" {
		key = w2.Register()
	}
	return Violation{Rule: "timestamp-inversion", Key: key, Ops: []OpID{w2.ID, w1.ID},
		Explain: fmt.Sprintf("%v invoked at %v got ts %d, not above ts %d of %v (%s) acknowledged at %v",
			w2.ID, w2.Call, *w2.TS, *w1.TS, w1.ID, w1.Register(), w1.Return)}
}
