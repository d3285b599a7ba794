package checker

import (
	"testing"
)

func add(id int, e string, call, ret Stamp) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindAdd, Set: "s", Key: e, Outcome: OK, Call: call, Return: ret}
}

func rem(id int, e string, call, ret Stamp) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindRemove, Set: "s", Key: e, Outcome: OK, Call: call, Return: ret}
}

func list(id int, call, ret Stamp, obs ...string) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindList, Set: "s", Observed: obs, Outcome: OK, Call: call, Return: ret}
}

// page is one page of listing first; more says a page follows.
func page(id, first int, more bool, call, ret Stamp, obs ...string) Op {
	p := list(id, call, ret, obs...)
	p.Client, p.Listing, p.More = ClientID(first), OpID(first), more
	return p
}

func TestListAfterWrite(t *testing.T) {
	tests := []struct {
		name string
		h    History
		want []string
	}{
		{"acked add listed", hist(add(1, "a", 1, 2), list(2, 3, 4, "a")), nil},
		{"acked add missing", hist(add(1, "a", 1, 2), list(2, 3, 4)), []string{"missing"}},
		{"acked add lost in final listing", hist(add(1, "a", 1, 2), final(list(2, 3, 4))), []string{"lost"}},
		{"concurrent add may be missing", hist(add(1, "a", 1, 4), list(2, 2, 3)), nil},
		{"concurrent add may be listed", hist(add(1, "a", 1, 4), list(2, 2, 3, "a")), nil},
		{"unknown add may be listed", hist(unknown(add(1, "a", 1, 0)), list(2, 2, 3, "a")), nil},
		{"unknown add may be missing", hist(unknown(add(1, "a", 1, 0)), list(2, 2, 3)), nil},
		{"phantom", hist(add(1, "a", 1, 2), list(2, 3, 4, "a", "b")), []string{"phantom"}},
		{"failed add listed", hist(failed(add(1, "a", 1, 2)), list(2, 3, 4, "a")), []string{"phantom"}},
		{"listed before add invoked", hist(list(1, 1, 2, "a"), add(2, "a", 3, 4)), []string{"phantom"}},
		{"acked remove still listed", hist(add(1, "a", 1, 2), rem(2, "a", 3, 4), list(3, 5, 6, "a")), []string{"removed-listed"}},
		{"acked remove gone", hist(add(1, "a", 1, 2), rem(2, "a", 3, 4), list(3, 5, 6)), nil},
		{"concurrent remove either way", hist(add(1, "a", 1, 2), rem(2, "a", 3, 6), list(3, 4, 5, "a"), list(4, 7, 8)), nil},
		{"unknown remove excuses absence", hist(add(1, "a", 1, 2), unknown(rem(2, "a", 3, 0)), list(3, 4, 5)), nil},
		{"re-add after remove", hist(add(1, "a", 1, 2), rem(2, "a", 3, 4), add(5, "a", 5, 6), list(3, 7, 8, "a")), nil},
		{"paginated listing complete", hist(add(1, "a", 1, 2), add(2, "b", 3, 4),
			page(10, 10, true, 5, 6, "a"), page(11, 10, false, 7, 8, "b")), nil},
		{"paginated listing drops an element", hist(add(1, "a", 1, 2), add(2, "b", 3, 4),
			page(10, 10, true, 5, 6, "a"), page(11, 10, false, 7, 8)), []string{"missing"}},
		{"incomplete listing not judged for absence", hist(add(1, "a", 1, 2), add(2, "b", 3, 4),
			page(10, 10, true, 5, 6, "a"), failed(page(11, 10, false, 7, 8))), nil},
		{"truncated listing not judged for absence", hist(add(1, "a", 1, 2), add(2, "b", 3, 4),
			page(10, 10, true, 5, 6, "a")), nil},
		{"final listing never completes", hist(add(1, "a", 1, 2), final(unknown(list(2, 3, 0)))), []string{"no-final-listing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustValid(t, tt.h)
			res := ListAfterWrite(tt.h, Options{})
			if got := rules(res); !equalStrings(got, append([]string{}, tt.want...)) {
				t.Errorf("got %v, want %v (%v)", got, tt.want, res.Violations)
			}
		})
	}
}

// TestListAfterWriteRandom checks paginated histories of an atomic set:
// all must pass; then each mutation must be caught.
func TestListAfterWriteRandom(t *testing.T) {
	mutations := []struct {
		rule   string
		mutate func(h *History) bool
	}{
		{"phantom", addPhantom},
		{"removed-listed", relistRemoved},
		{"lost", dropFromFinal},
	}
	caught := map[string]int{}
	for seed := uint64(0); seed < 200; seed++ {
		h := simSet(seed, simConf{workers: 3, steps: 200, pUnknown: 0.1, pFail: 0.1, final: true})
		mustValid(t, h)
		if res := ListAfterWrite(h, Options{}); !res.OK || res.Checked == 0 {
			t.Fatalf("seed %d: correct history: %v\n%s", seed, res.Violations, dump(h))
		}
		for _, m := range mutations {
			bad := History{Ops: append([]Op(nil), h.Ops...)}
			if !m.mutate(&bad) {
				continue
			}
			res := ListAfterWrite(bad, Options{})
			if !contains(rules(res), m.rule) {
				t.Fatalf("seed %d: %s not caught: %v", seed, m.rule, res.Violations)
			}
			caught[m.rule]++
		}
	}
	for _, m := range mutations {
		if caught[m.rule] < 100 {
			t.Errorf("%s: only %d of 200 seeds could be mutated", m.rule, caught[m.rule])
		}
	}
}

// addPhantom lists an element nobody added on the last successful page.
func addPhantom(h *History) bool {
	for i := len(h.Ops) - 1; i >= 0; i-- {
		if o := &h.Ops[i]; o.Kind == KindList && o.Outcome == OK {
			o.Observed = append(append([]string(nil), o.Observed...), "zz-phantom")
			return true
		}
	}
	return false
}

// relistRemoved puts an element back on the final listing's last page
// after its removal was acknowledged (and never re-added).
func relistRemoved(h *History) bool {
	for _, rm := range h.Ops {
		if rm.Kind != KindRemove || rm.Outcome != OK || addedAfter(*h, rm) {
			continue
		}
		for i := len(h.Ops) - 1; i >= 0; i-- {
			if o := &h.Ops[i]; o.Kind == KindList && o.Final && o.Outcome == OK && !o.More {
				o.Observed = append(append([]string(nil), o.Observed...), rm.Key)
				return true
			}
		}
	}
	return false
}

// dropFromFinal removes from the final listing the first element that an
// acknowledged add put there and no remove may have touched.
func dropFromFinal(h *History) bool {
	acked := map[string]bool{}
	for _, o := range h.Ops {
		if o.Kind == KindAdd && o.Outcome == OK {
			acked[o.Key] = true
		}
	}
	for _, o := range h.Ops {
		if o.Kind == KindRemove && o.Outcome != Fail {
			delete(acked, o.Key)
		}
	}
	for i := range h.Ops {
		o := &h.Ops[i]
		if o.Kind != KindList || !o.Final {
			continue
		}
		for j, e := range o.Observed {
			if acked[e] {
				o.Observed = append(append([]string(nil), o.Observed[:j]...), o.Observed[j+1:]...)
				return true
			}
		}
	}
	return false
}

// addedAfter reports whether an add of rm's element may follow rm.
func addedAfter(h History, rm Op) bool {
	for _, a := range h.Ops {
		if a.Kind == KindAdd && a.Key == rm.Key && a.Outcome != Fail && a.Return > rm.Call {
			return true
		}
	}
	return false
}
