package netem

import (
	"fmt"
	"math"
	"time"
)

// Jitter is a distribution of extra one-way delay added to a link's base
// latency for each message. Sample may return a negative offset; the model
// clamps the total delay at zero (a censored, not resampled, distribution,
// so every sample consumes a fixed number of draws). Implementations must
// be pure functions of the draws they take from r.
type Jitter interface {
	// Sample draws one delay offset from r.
	Sample(r Rand) time.Duration
	// String describes the distribution for logs and experiment metadata.
	String() string
}

// NoJitter adds nothing and draws nothing.
type NoJitter struct{}

// Uniform adds an offset drawn uniformly from [-Width, +Width]; this is
// what tc netem does for "delay D W" and what "100 ms ± 20 ms" means in
// Garage's benchmarks (±10 ms on each one-way hop).
type Uniform struct{ Width time.Duration }

// Normal adds an offset drawn from N(0, Sigma²). The total delay is clamped
// at zero. It takes two draws (Box–Muller).
type Normal struct{ Sigma time.Duration }

// Pareto adds a non-negative, heavy-tailed offset Scale·(U^(-1/Shape) − 1):
// a Lomax distribution with mean Scale/(Shape−1) for Shape > 1 and
// infinite variance for Shape ≤ 2. Max, when positive, caps the offset.
type Pareto struct {
	Scale time.Duration
	Shape float64
	Max   time.Duration
}

// LogNormal adds a non-negative, heavy-tailed offset exp(ln(Median) + σZ)
// with Z standard normal. Its median is Median and its mean
// Median·exp(σ²/2). Max, when positive, caps the offset.
type LogNormal struct {
	Median time.Duration
	Sigma  float64
	Max    time.Duration
}

var (
	_ Jitter = NoJitter{}
	_ Jitter = Uniform{}
	_ Jitter = Normal{}
	_ Jitter = Pareto{}
	_ Jitter = LogNormal{}
)

// Sample returns 0.
func (NoJitter) Sample(Rand) time.Duration { return 0 }

// String returns "none".
func (NoJitter) String() string { return "none" }

// Sample draws one offset in [-Width, +Width].
func (u Uniform) Sample(r Rand) time.Duration {
	return time.Duration((2*r.Float64() - 1) * float64(u.Width))
}

// String returns e.g. "uniform±10ms".
func (u Uniform) String() string { return fmt.Sprintf("uniform±%v", u.Width) }

// Sample draws one normally distributed offset.
func (n Normal) Sample(r Rand) time.Duration {
	return time.Duration(stdNormal(r) * float64(n.Sigma))
}

// String returns e.g. "normal(σ=10ms)".
func (n Normal) String() string { return fmt.Sprintf("normal(σ=%v)", n.Sigma) }

// Sample draws one non-negative Lomax offset.
func (p Pareto) Sample(r Rand) time.Duration {
	u := 1 - r.Float64() // in (0, 1]
	x := float64(p.Scale) * (math.Pow(u, -1/p.Shape) - 1)
	return capped(x, p.Max)
}

// String returns the parameters, e.g. "pareto(scale=1ms,shape=1.5,max=0s)".
func (p Pareto) String() string {
	return fmt.Sprintf("pareto(scale=%v,shape=%g,max=%v)", p.Scale, p.Shape, p.Max)
}

// Sample draws one non-negative lognormal offset.
func (l LogNormal) Sample(r Rand) time.Duration {
	x := float64(l.Median) * math.Exp(l.Sigma*stdNormal(r))
	return capped(x, l.Max)
}

// String returns the parameters, e.g. "lognormal(median=1ms,σ=1,max=0s)".
func (l LogNormal) String() string {
	return fmt.Sprintf("lognormal(median=%v,σ=%g,max=%v)", l.Median, l.Sigma, l.Max)
}

// stdNormal draws a standard normal variate from two uniforms (Box–Muller,
// cosine branch only, so the number of draws is always two).
func stdNormal(r Rand) float64 {
	u1 := 1 - r.Float64() // in (0, 1], keeps the log finite
	u2 := r.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// capped converts x nanoseconds to a Duration, bounded by max when max > 0
// and by the largest Duration otherwise (a heavy tail can overflow int64).
func capped(x float64, max time.Duration) time.Duration {
	limit := float64(math.MaxInt64 / 2)
	if max > 0 {
		limit = float64(max)
	}
	if x > limit || math.IsNaN(x) {
		return time.Duration(limit)
	}
	return time.Duration(x)
}

// checkJitter panics when j's parameters make no sense.
func checkJitter(j Jitter) {
	bad := false
	switch v := j.(type) {
	case Uniform:
		bad = v.Width < 0
	case Normal:
		bad = v.Sigma < 0
	case Pareto:
		bad = v.Scale < 0 || !(v.Shape > 0)
	case LogNormal:
		bad = v.Median <= 0 || v.Sigma < 0
	}
	if bad {
		panic(fmt.Sprintf("netem: invalid jitter %v", j))
	}
}
