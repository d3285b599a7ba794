package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestTimerHeapOrder pushes and removes timers at random and checks that
// the heap pops the rest in (when, seq) order with every position right.
func TestTimerHeapOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var h timerHeap
		var live []*timer
		seq := uint64(0)
		for range r.IntN(300) {
			if len(live) > 0 && r.IntN(3) == 0 {
				i := r.IntN(len(live))
				h.remove(live[i])
				if live[i].pos != 0 {
					t.Fatalf("round %d: removed timer keeps position %d", round, live[i].pos)
				}
				live = slices.Delete(live, i, i+1)
				continue
			}
			seq++
			tm := &timer{when: time.Duration(r.IntN(20)), seq: seq}
			h.push(tm)
			live = append(live, tm)
		}
		for i, e := range h {
			if e.t.pos != i+1 || e.when != e.t.when || e.seq != e.t.seq {
				t.Fatalf("round %d: entry %d out of step with its timer", round, i)
			}
		}
		slices.SortFunc(live, func(a, b *timer) int { return cmp.Or(cmp.Compare(a.when, b.when), cmp.Compare(a.seq, b.seq)) })
		for _, want := range live {
			got := h.peek()
			if got != want {
				t.Fatalf("round %d: popped (%v, %d), want (%v, %d)", round, got.when, got.seq, want.when, want.seq)
			}
			h.remove(got)
		}
		if len(h) != 0 {
			t.Fatalf("round %d: %d timers left", round, len(h))
		}
	}
}
