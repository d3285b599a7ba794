// Package fail is the failpoint layer of node code: the named points where
// faults can be injected, and the two implementations of rt.Faults that arm
// them.
//
// Node code reaches failpoints only through rt.Faults (env.Faults, nil when
// nothing is armed) and the helpers here: Eval asks whether a point fires,
// Hit also acts on what it fires with (returns the error, sleeps the delay,
// panics with Crash). The point names are the constants of points.go.
//
// Two implementations:
//
//   - Live (from Real) evaluates github.com/pingcap/failpoint's runtime
//     registry, so GO_FAILPOINTS and failpoint.Enable work unchanged in real
//     daemons. The failpath of point name is Prefix+name.
//   - Registry is the simulator's: points are armed with a Spec (probability,
//     skip, count, value) and the decision to fire is drawn from a random
//     stream the caller passes in, so a seed replays the same faults. The
//     library's own p% and sleep terms are never used there: they read
//     global randomness and sleep in real time.
//
// Both count evaluations and hits per point and report them with Stats.
//
// This package is node code: it obeys DESIGN.md §3 (no goroutines, channels,
// real clock or global randomness). failpoint.Inject markers are banned
// everywhere: without code rewriting they silently do nothing.
package fail
