package checker

import "testing"

func TestTimestampMonotonicity(t *testing.T) {
	tests := []struct {
		name        string
		h           History
		key, global int // violations expected per key and globally
	}{
		{"increasing", hist(withTS(put(1, "a", 1, 2), 10), withTS(put(2, "b", 3, 4), 11)), 0, 0},
		{"inversion", hist(withTS(put(1, "a", 1, 2), 10), withTS(put(2, "b", 3, 4), 9)), 1, 1},
		{"equal is an inversion", hist(withTS(put(1, "a", 1, 2), 10), withTS(del(2, 3, 4), 10)), 1, 1},
		{"concurrent may invert", hist(withTS(put(1, "a", 1, 3), 10), withTS(put(2, "b", 2, 4), 9)), 0, 0},
		{"unknown W1 orders nothing", hist(withTS(unknown(put(1, "a", 1, 0)), 10), withTS(put(2, "b", 3, 4), 9)), 0, 0},
		{"max over earlier writes", hist(withTS(put(1, "a", 1, 2), 30), withTS(put(2, "b", 3, 4), 31),
			withTS(put(3, "c", 5, 6), 20)), 1, 1},
		{"no timestamps", hist(put(1, "a", 1, 2), put(2, "b", 3, 4)), 0, 0},
		{"other key: global only", hist(withTS(put(1, "a", 1, 2), 10), withTS(onKey(put(2, "b", 3, 4), "k2"), 9)), 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustValid(t, tt.h)
			key, global := TimestampMonotonicity(tt.h, Options{}), GlobalTimestampMonotonicity(tt.h, Options{})
			if got := len(key.Violations); got != tt.key {
				t.Errorf("per key: got %d violations, want %d: %v", got, tt.key, key.Violations)
			}
			if got := len(global.Violations); got != tt.global || !global.Canary {
				t.Errorf("global: got %d violations (canary %v), want %d", got, global.Canary, tt.global)
			}
		})
	}
}

// TestNaiveTimestampsCaught: a skewed clock without the newest+1 rule must
// produce inversions on most seeds; with the rule, none.
func TestNaiveTimestampsCaught(t *testing.T) {
	caught := 0
	for seed := uint64(0); seed < 100; seed++ {
		c := simConf{workers: 3, steps: 100, keys: 2, pUnknown: 0.05}
		if res := TimestampMonotonicity(simRegister(seed, c), Options{}); !res.OK || res.Checked == 0 {
			t.Fatalf("seed %d: newest+1 rule: %v", seed, res)
		}
		c.naiveTS = true
		if res := TimestampMonotonicity(simRegister(seed, c), Options{}); !res.OK {
			caught++
		}
	}
	if caught < 60 {
		t.Errorf("naive timestamps caught on %d of 100 seeds", caught)
	}
}
