package checker

import "testing"

// TestNegativeControls gathers the controls every campaign relies on: the
// named gate must catch each broken history, and its repaired twin must
// pass every gate.
func TestNegativeControls(t *testing.T) {
	tests := []struct {
		name       string
		bad, good  History
		gate, rule string
	}{
		{"stale read after acknowledged write",
			hist(put(1, "a", 1, 2), put(2, "b", 3, 4), get(3, 5, 6, "a")),
			hist(put(1, "a", 1, 2), put(2, "b", 3, 4), get(3, 5, 6, "b")),
			CheckRAW, "stale-read"},
		{"lost acknowledged write",
			hist(put(1, "a", 1, 2), put(2, "b", 3, 4), unknown(put(3, "c", 5, 0)), final(get(4, 6, 7, "a"))),
			hist(put(1, "a", 1, 2), put(2, "b", 3, 4), unknown(put(3, "c", 5, 0)), final(get(4, 6, 7, "c"))),
			CheckDurability, "lost-write"},
		{"phantom list entry",
			hist(add(1, "a", 1, 2), unknown(add(2, "b", 3, 0)), list(3, 4, 5, "a", "b", "c")),
			hist(add(1, "a", 1, 2), unknown(add(2, "b", 3, 0)), list(3, 4, 5, "a", "b")),
			CheckList, "phantom"},
		{"acknowledged delete still listed",
			hist(add(1, "a", 1, 2), add(2, "b", 3, 4), rem(3, "a", 5, 6), page(4, 4, true, 7, 8, "a"), page(5, 4, false, 9, 10, "b")),
			hist(add(1, "a", 1, 2), add(2, "b", 3, 4), rem(3, "a", 5, 6), page(4, 4, true, 7, 8, "b"), page(5, 4, false, 9, 10)),
			CheckList, "removed-listed"},
		{"timestamp inversion",
			hist(withTS(put(1, "a", 1, 2), 100), withTS(put(2, "b", 3, 4), 99), get(3, 5, 6, "b")),
			hist(withTS(put(1, "a", 1, 2), 100), withTS(put(2, "b", 3, 4), 101), get(3, 5, 6, "b")),
			CheckTSKey, "timestamp-inversion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad, err := CheckAll(tt.bad, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range bad {
				if r.Name == tt.gate && !contains(rules(r), tt.rule) {
					t.Errorf("%s missed %s: %v", r.Name, tt.rule, r.Violations)
				}
			}
			good, err := CheckAll(tt.good, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f := gateFailures(good); len(f) > 0 {
				t.Errorf("repaired history fails: %v", f)
			}
		})
	}
	t.Run("diverged replicas", func(t *testing.T) {
		bad := Convergence(Digests{"n1": {"17": {0xaa}}, "n2": {"17": {0xab}}})
		good := Convergence(Digests{"n1": {"17": {0xaa}}, "n2": {"17": {0xaa}}})
		if !bad.Gate() || !contains(rules(bad), "diverged") || !good.OK {
			t.Errorf("bad %v; good %v", bad, good)
		}
	})
}

// TestCorrectSetHistoriesPass runs every check on paginated set histories
// of an atomic set with unknown and failed outcomes.
func TestCorrectSetHistoriesPass(t *testing.T) {
	for seed := uint64(0); seed < 100; seed++ {
		h := simSet(seed, simConf{workers: 4, steps: 200, pUnknown: 0.1, pFail: 0.1, final: true})
		rs, err := CheckAll(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f := gateFailures(rs); len(f) > 0 {
			t.Fatalf("seed %d: %v", seed, f)
		}
	}
}
