package checker

import (
	"flag"
	"testing"

	"github.com/anishathalye/porcupine"
)

var long = flag.Bool("long", false, "run long cross-validation (200 000 histories)")

func TestReadAfterWrite(t *testing.T) {
	tests := []struct {
		name   string
		h      History
		want   []string // rules found by both read-after-write checks
		linear bool     // verdict of the linearizability canary
	}{
		{"read own write", hist(put(1, "a", 1, 2), get(2, 3, 4, "a")), nil, true},
		{"initial absent", hist(get(1, 1, 2)), nil, true},
		{"stale read after ack", hist(put(1, "a", 1, 2), put(2, "b", 3, 4), get(3, 5, 6, "a")), []string{"stale-read"}, false},
		{"absent after ack", hist(put(1, "a", 1, 2), get(2, 3, 4)), []string{"stale-read"}, false},
		{"old value after ack delete", hist(put(1, "a", 1, 2), del(2, 3, 4), get(3, 5, 6, "a")), []string{"stale-read"}, false},
		{"absent after delete", hist(put(1, "a", 1, 2), del(2, 3, 4), get(3, 5, 6)), nil, true},
		{"concurrent write seen", hist(put(1, "a", 1, 2), put(2, "b", 3, 6), get(3, 4, 5, "b")), nil, true},
		{"concurrent write not seen", hist(put(1, "a", 1, 2), put(2, "b", 3, 6), get(3, 4, 5, "a")), nil, true},
		{"concurrent writes either order", hist(put(1, "a", 1, 4), put(2, "b", 2, 3), get(3, 5, 6, "a")), nil, true},
		{"unknown write seen", hist(put(1, "a", 1, 2), unknown(put(2, "b", 3, 0)), get(3, 4, 5, "b")), nil, true},
		{"unknown write not seen", hist(put(1, "a", 1, 2), unknown(put(2, "b", 3, 0)), get(3, 4, 5, "a")), nil, true},
		{"unknown write lands late", hist(unknown(put(1, "b", 1, 0)), put(2, "a", 2, 3), get(3, 4, 5, "b")), nil, true},
		{"future read", hist(get(1, 1, 2, "a"), put(2, "a", 3, 4)), []string{"future-read"}, false},
		{"failed write seen", hist(failed(put(1, "a", 1, 2)), get(2, 3, 4, "a")), []string{"unwritten-value"}, false},
		{"value never written", hist(put(1, "a", 1, 2), get(2, 3, 4, "z")), []string{"unwritten-value"}, false},
		{"one of several values", hist(put(1, "a", 1, 2), put(2, "b", 3, 4), get(3, 5, 6, "a", "b")), nil, true},
		{"raw holds, linearizability does not", hist(put(1, "a", 1, 10), get(2, 2, 3, "a"), get(3, 4, 5)), nil, false},
		{"unknown write seen, then older value", hist(put(1, "a", 1, 2), unknown(put(2, "b", 3, 0)), get(3, 4, 5, "b"), get(4, 6, 7, "a")), nil, false},
		{"failed and unknown reads ignored", hist(put(1, "a", 1, 2), failed(get(2, 3, 4, "zz")), unknown(get(3, 5, 0))), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustValid(t, tt.h)
			for _, res := range []Result{ReadAfterWrite(tt.h, Options{}), ReadAfterWriteSweep(tt.h, Options{})} {
				if got := rules(res); !equalStrings(got, append([]string{}, tt.want...)) {
					t.Errorf("%s: got %v, want %v (%v)", res.Name, got, tt.want, res.Violations)
				}
				if res.OK != (len(tt.want) == 0) {
					t.Errorf("%s: OK = %v with %d violations", res.Name, res.OK, len(res.Violations))
				}
			}
			lin := Linearizability(tt.h, Options{})
			if lin.OK != tt.linear || !lin.Canary || lin.Gate() {
				t.Errorf("linearizability: OK=%v canary=%v, want OK=%v canary", lin.OK, lin.Canary, tt.linear)
			}
		})
	}
}

// TestReadAfterWriteCrossValidation checks that porcupine (one search per
// read over all writes of the register, and the pruned search
// ReadAfterWrite runs) and the direct sweep agree on every read of many
// random small histories, with stale reads, unknown and failed writes.
func TestReadAfterWriteCrossValidation(t *testing.T) {
	model := registerModel()
	histories, reads, bad := 10000, 0, 0
	if *long {
		histories = 200000
	}
	byRule := map[string]int{}
	for seed := 0; seed < histories; seed++ {
		c := simConf{workers: 1 + seed%4, steps: 6 + seed%19, keys: 1, pUnknown: 0.15, pFail: 0.1, staleReads: 0.8}
		h := simRegister(uint64(seed), c)
		for _, g := range registers(h, DefaultVocabulary()) {
			writes := make([]porcupine.Operation, len(g.writes))
			for i, w := range g.writes {
				writes[i] = regOperation(w, false)
			}
			all := append(append([]porcupine.Operation(nil), writes...), g.operations()[len(g.operations())-len(g.reads):]...)
			if porcupine.CheckOperations(model, all) != porcupine.CheckOperations(model, g.operations()) {
				t.Fatalf("seed %d: pruning changes the linearizability verdict\n%s", seed, dump(h))
			}
			for _, r := range g.reads {
				reads++
				v, sweepOK := g.sweepRead(r)
				pruned, all := porcupineRead(model, g, writes, r, 0), porcupineReadAll(model, writes, r)
				if (all == porcupine.Ok) != sweepOK || pruned != all {
					t.Fatalf("seed %d: %v: porcupine %s (pruned %s), sweep ok=%v %v\n%s", seed, r.ID, all, pruned, sweepOK, v, dump(h))
				}
				if !sweepOK {
					bad++
					byRule[v.Rule]++
				}
			}
		}
	}
	t.Logf("%d histories, %d reads, %d violating %v", histories, reads, bad, byRule)
	for _, rule := range []string{"stale-read", "future-read", "unwritten-value"} {
		if byRule[rule] < 100 {
			t.Errorf("only %d %s violations generated", byRule[rule], rule)
		}
	}
	if bad < reads/5 || bad > reads*4/5 {
		t.Errorf("%d of %d reads violating: the generator is not mixing good and bad reads", bad, reads)
	}
}

// TestCorrectHistoriesPass runs every check on histories of an atomic store
// with unknown and failed outcomes and concurrent clients.
func TestCorrectHistoriesPass(t *testing.T) {
	for seed := uint64(0); seed < 150; seed++ {
		c := simConf{workers: 4, steps: 300, keys: 3, pUnknown: 0.1, pFail: 0.1, final: true}
		h := simRegister(seed, c)
		rs, err := CheckAll(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if bad := gateFailures(rs); len(bad) > 0 {
			t.Fatalf("seed %d: %v", seed, bad)
		}
		for _, r := range rs[:5] {
			if r.Checked == 0 && r.Name != CheckList {
				t.Fatalf("seed %d: %s checked nothing", seed, r.Name)
			}
		}
		if lin := rs[2]; !lin.OK {
			t.Fatalf("seed %d: atomic store not linearizable: %v", seed, lin)
		}
	}
}

// TestStaleReadCaught turns one read of a correct history stale and checks
// that both read-after-write checks name it.
func TestStaleReadCaught(t *testing.T) {
	caught := 0
	for seed := uint64(0); seed < 100; seed++ {
		h := simRegister(seed, simConf{workers: 3, steps: 120, keys: 2, pUnknown: 0.1, pFail: 0.1})
		id, ok := makeStale(&h)
		if !ok {
			continue
		}
		caught++
		for _, res := range []Result{ReadAfterWrite(h, Options{}), ReadAfterWriteSweep(h, Options{})} {
			if got := firstOps(res); len(got) != 1 || got[0] != id {
				t.Fatalf("seed %d: %s: got violations at %v, want at %v", seed, res.Name, got, id)
			}
		}
	}
	if caught < 50 {
		t.Errorf("only %d seeds had a read to make stale", caught)
	}
}

// makeStale rewrites the last successful read that follows two
// acknowledged, non-overlapping writes of its key to return the older one.
func makeStale(h *History) (OpID, bool) {
	for i := len(h.Ops) - 1; i >= 0; i-- {
		r := &h.Ops[i]
		if r.Kind != KindGet || r.Outcome != OK {
			continue
		}
		if old, ok := supersededBefore(*h, *r); ok {
			r.Observed = []string{old}
			return r.ID, true
		}
	}
	return 0, false
}

// supersededBefore finds a value written by an acknowledged write W1 such
// that another acknowledged write W2 was invoked after W1 returned, and
// returned before read r was invoked.
func supersededBefore(h History, r Op) (string, bool) {
	for _, w1 := range h.Ops {
		if w1.Kind != KindPut || w1.Outcome != OK || w1.Key != r.Key {
			continue
		}
		for _, w2 := range h.Ops {
			if w2.Key == r.Key && (w2.Kind == KindPut || w2.Kind == KindDelete) && w2.Outcome == OK &&
				w2.Call > w1.Return && w2.Return < r.Call {
				return w1.Value, true
			}
		}
	}
	return "", false
}
