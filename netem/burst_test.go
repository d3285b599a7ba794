package netem

import (
	"math"
	"testing"
	"time"
)

func TestBurstLoss(t *testing.T) {
	const n = 200000
	tests := []struct {
		b    Burst
		good float64
	}{
		{Burst{Enter: 0.01, Leave: 0.25, Loss: 1}, 0},
		{Burst{Enter: 0.05, Leave: 0.5, Loss: 0.5}, 0.01},
		{Burst{}, 0.1},
	}
	for _, tt := range tests {
		m := pair("x", "y")
		m.SetLoss(AllLinks(), tt.good)
		m.SetBurst(NodeLink("a", "b"), tt.b)
		r := NewRand(5)
		lost, runs, run := 0, 0, 0
		for i := range n {
			if m.Send(time.Duration(i), "a", "b", 1, r).Drop {
				lost++
				run++
				continue
			}
			if run > 0 {
				runs++
				run = 0
			}
		}
		rate, want := float64(lost)/n, tt.b.MeanLoss(tt.good)
		t.Logf("%v good=%g: loss %.4f (model %.4f), mean burst %.2f", tt.b, tt.good, rate, want, float64(lost)/float64(runs))
		if math.Abs(rate-want) > 0.15*want {
			t.Errorf("%v: loss rate %.4f, want %.4f ± 15%%", tt.b, rate, want)
		}
		if tt.b.Loss == 1 && tt.good == 0 {
			if got, want := float64(lost)/float64(runs), 1/tt.b.Leave; math.Abs(got-want) > 0.1*want {
				t.Errorf("%v: mean burst %.2f, want %.2f ± 10%%", tt.b, got, want)
			}
		}
	}
}

// TestBurstDraws checks a link draws one more uniform with a burst model
// (the links have no jitter, so nothing else is drawn).
func TestBurstDraws(t *testing.T) {
	for _, tt := range []struct {
		b    Burst
		want int
	}{{Burst{}, 2}, {Burst{Enter: 0.5, Leave: 0.5, Loss: 1}, 3}} {
		m := pair("x", "y")
		m.SetBurst(AllLinks(), tt.b)
		r := &countingRand{Rand: NewRand(1)}
		m.Send(0, "a", "b", 1, r)
		if r.n != tt.want {
			t.Errorf("%v: %d draws, want %d", tt.b, r.n, tt.want)
		}
	}
}

func TestBurstRejectsStuckModels(t *testing.T) {
	for _, b := range []Burst{{Enter: 0.1}, {Enter: 2, Leave: 0.5}, {Enter: 0.1, Leave: 0.1, Loss: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetBurst(%v) did not panic", b)
				}
			}()
			pair("x", "y").SetBurst(AllLinks(), b)
		}()
	}
}
