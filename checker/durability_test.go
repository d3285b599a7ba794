package checker

import "testing"

func TestDurability(t *testing.T) {
	tests := []struct {
		name string
		h    History
		want []string
	}{
		{"latest write survives", hist(put(1, "a", 1, 2), put(2, "b", 3, 4), final(get(3, 5, 6, "b"))), nil},
		{"acknowledged write lost", hist(put(1, "a", 1, 2), put(2, "b", 3, 4), final(get(3, 5, 6, "a"))), []string{"lost-write"}},
		{"all writes lost", hist(put(1, "a", 1, 2), final(get(2, 3, 4))), []string{"lost-write"}},
		{"delete survives", hist(put(1, "a", 1, 2), del(2, 3, 4), final(get(3, 5, 6))), nil},
		{"unknown later write may win", hist(put(1, "a", 1, 2), unknown(put(2, "b", 3, 0)), final(get(3, 5, 6, "b"))), nil},
		{"concurrent writes: higher ts wins", hist(withTS(put(1, "a", 1, 4), 10), withTS(put(2, "b", 2, 3), 20),
			final(get(3, 5, 6, "b"))), nil},
		{"concurrent writes: lower ts seen", hist(withTS(put(1, "a", 1, 4), 10), withTS(put(2, "b", 2, 3), 20),
			final(get(3, 5, 6, "a"))), []string{"lost-write"}},
		{"later write with lower ts is not a loss", hist(withTS(put(1, "a", 1, 2), 20), withTS(put(2, "b", 3, 4), 10),
			final(get(3, 5, 6, "b"))), nil},
		{"final read failed", hist(put(1, "a", 1, 2), failed(final(get(2, 3, 4, "a")))), []string{"unreadable"}},
		{"key never finally read", hist(put(1, "a", 1, 2), onKey(final(get(2, 3, 4)), "other")), []string{"unreadable"}},
		{"no acknowledged write", hist(unknown(put(1, "a", 1, 0)), final(get(2, 3, 4))), nil},
		{"non-final reads ignored", hist(put(1, "a", 1, 2), put(2, "b", 3, 4), get(3, 5, 6, "a"), final(get(4, 7, 8, "b"))), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustValid(t, tt.h)
			res := Durability(tt.h, Options{})
			if got := rules(res); !equalStrings(got, append([]string{}, tt.want...)) {
				t.Errorf("got %v, want %v (%v)", got, tt.want, res.Violations)
			}
		})
	}
}

func TestDurabilityWithoutFinalReads(t *testing.T) {
	res := Durability(hist(put(1, "a", 1, 2), get(2, 3, 4)), Options{})
	if !res.OK || res.Checked != 0 {
		t.Errorf("got %v, want an unjudged pass", res)
	}
}

// TestLostWriteCaught makes the final read of a correct history return an
// older acknowledged value and expects a lost-write.
func TestLostWriteCaught(t *testing.T) {
	caught := 0
	for seed := uint64(0); seed < 100; seed++ {
		h := simRegister(seed, simConf{workers: 3, steps: 100, keys: 2, pUnknown: 0.1, pFail: 0.1, final: true})
		if res := Durability(h, Options{}); !res.OK {
			t.Fatalf("seed %d: correct history: %v", seed, res.Violations)
		}
		for i := len(h.Ops) - 1; i >= 0; i-- {
			r := &h.Ops[i]
			old, ok := supersededBefore(h, *r)
			if !r.Final || !ok {
				continue
			}
			r.Observed = []string{old}
			if got := rules(Durability(h, Options{})); !contains(got, "lost-write") {
				t.Fatalf("seed %d: lost write not caught: %v", seed, got)
			}
			caught++
			break
		}
	}
	if caught < 50 {
		t.Errorf("only %d seeds had a final read to corrupt", caught)
	}
}
