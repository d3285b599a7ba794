package netem

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestJitterDistributions compares each distribution's samples with its
// theoretical CDF (Kolmogorov–Smirnov statistic against the 1% critical
// value; the seed is fixed, so the test is deterministic).
func TestJitterDistributions(t *testing.T) {
	const n = 5000
	phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
	tests := []struct {
		j   Jitter
		cdf func(x float64) float64 // x in milliseconds
	}{
		{Uniform{Width: 10 * ms}, func(x float64) float64 { return min(max((x+10)/20, 0), 1) }},
		{Normal{Sigma: 5 * ms}, func(x float64) float64 { return phi(x / 5) }},
		{Pareto{Scale: 2 * ms, Shape: 1.5}, func(x float64) float64 { return 1 - math.Pow(1+x/2, -1.5) }},
		{LogNormal{Median: 3 * ms, Sigma: 0.8}, func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return phi((math.Log(x) - math.Log(3)) / 0.8)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.j.String(), func(t *testing.T) {
			r := NewRand(11)
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(tt.j.Sample(r)) / float64(ms)
			}
			slices.Sort(xs)
			d := 0.0
			for i, x := range xs {
				f := tt.cdf(x)
				d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
			}
			if crit := 1.63 / math.Sqrt(n); d > crit {
				t.Errorf("KS statistic %.4f > %.4f: samples do not follow %v", d, crit, tt.j)
			}
		})
	}
}

func TestJitterDrawCounts(t *testing.T) {
	tests := []struct {
		j    Jitter
		want int
	}{
		{NoJitter{}, 0},
		{Uniform{Width: ms}, 1},
		{Normal{Sigma: ms}, 2},
		{Pareto{Scale: ms, Shape: 2}, 1},
		{LogNormal{Median: ms, Sigma: 1}, 2},
	}
	for _, tt := range tests {
		r := &countingRand{Rand: NewRand(1)}
		tt.j.Sample(r)
		if r.n != tt.want {
			t.Errorf("%v: %d draws, want %d", tt.j, r.n, tt.want)
		}
	}
}

func TestHeavyTailIsCapped(t *testing.T) {
	r := constRand(1 - 1e-17) // the extreme of the tail
	for _, j := range []Jitter{Pareto{Scale: time.Second, Shape: 0.1}, Pareto{Scale: ms, Shape: 0.1, Max: time.Second}} {
		if got := j.Sample(r); got <= 0 {
			t.Errorf("%v: extreme sample %v overflowed", j, got)
		}
	}
}

type countingRand struct {
	Rand
	n int
}

func (c *countingRand) Float64() float64 { c.n++; return c.Rand.Float64() }

func (c *countingRand) Uint64() uint64 { c.n++; return c.Rand.Uint64() }

// constRand always draws the same value.
type constRand float64

func (c constRand) Float64() float64 { return float64(c) }

func (c constRand) Uint64() uint64 { return uint64(float64(c) * (1 << 63)) }
