package nemesis

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/sim"
)

// Timing shapes a schedule: a quiet gap before each fault, then the fault
// held for a while, each drawn uniformly from its range.
type Timing struct {
	GapMin, GapMax   time.Duration
	HoldMin, HoldMax time.Duration
}

// DefaultTiming alternates 0.2–2 s of quiet with faults held 0.5–4 s:
// longer than an RPC timeout, so that faults outlast retries.
func DefaultTiming() Timing {
	return Timing{GapMin: 200 * time.Millisecond, GapMax: 2 * time.Second,
		HoldMin: 500 * time.Millisecond, HoldMax: 4 * time.Second}
}

// Episode is one fault of a schedule: applied at At (from the start of the
// safety phase) and undone Hold later.
type Episode struct {
	At, Hold time.Duration
	Fault    Fault
}

func (e Episode) String() string {
	return fmt.Sprintf("@%s for %s: %s %s", ms(e.At), ms(e.Hold), e.Fault.Kind, e.Fault.Desc)
}

// Plan draws a schedule of n's faults covering [0, span) from r: episodes
// one after another, never overlapping.
func Plan(n Nemesis, r *sim.Rand, t Topology, span time.Duration, tm Timing) []Episode {
	var eps []Episode
	for at := draw(r, tm.GapMin, tm.GapMax); at < span; {
		hold := draw(r, tm.HoldMin, tm.HoldMax)
		eps = append(eps, Episode{At: at, Hold: hold, Fault: n.Draw(r, t)})
		at += hold + draw(r, tm.GapMin, tm.GapMax)
	}
	return eps
}

func draw(r *sim.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Uint64()%uint64(hi-lo))
}

// Runner plays a schedule in a world task until it ends or Stop is called.
type Runner struct {
	x       *Exec
	eps     []Episode
	stopped bool
	done    bool
}

// Start plays eps on x from now, as world task "nemesis".
func Start(w *sim.World, x *Exec, eps []Episode) *Runner {
	rn := &Runner{x: x, eps: eps}
	start := w.Now()
	w.Go("nemesis", func(ctx context.Context) {
		defer func() { rn.done = true }()
		for _, e := range eps {
			if !rn.sleepUntil(ctx, w, start+e.At) {
				return
			}
			h := x.Apply(e.Fault)
			if !rn.sleepUntil(ctx, w, start+e.At+e.Hold) {
				return
			}
			x.Undo(h)
		}
	})
	return rn
}

// sleepUntil sleeps until virtual time t and reports whether the schedule
// should go on.
func (rn *Runner) sleepUntil(ctx context.Context, w *sim.World, t time.Duration) bool {
	if d := t - w.Now(); d > 0 && w.Sleep(ctx, d) != nil {
		return false
	}
	return !rn.stopped
}

// Stop ends the schedule: no fault is applied after it. Faults still active
// stay so until Exec.Heal.
func (rn *Runner) Stop() { rn.stopped = true }

// Done reports whether the runner task has finished.
func (rn *Runner) Done() bool { return rn.done }
