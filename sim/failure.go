package sim

import (
	"fmt"
	"strings"
	"time"
)

// Failure is why a run stopped early: a task panicked, the step limit was
// exceeded or a RunUntil condition was not reached. Its Error text ends
// with the command that replays the run.
type Failure struct {
	Reason   string
	Task     string // the failing task, "" if none
	Panic    any    // the panic value, if a task panicked
	Stack    string // the failing goroutine's stack, if a task panicked
	VTime    time.Duration
	Step     uint64
	Seed     uint64
	Scenario string
}

// Error describes the failure and ends with the replay hint.
func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sim: %s (vtime %v, step %d, seed %d)", f.Reason, f.VTime, f.Step, f.Seed)
	if f.Stack != "" {
		b.WriteString("\n")
		b.WriteString(strings.TrimRight(f.Stack, "\n"))
	}
	b.WriteString("\n")
	b.WriteString(f.Replay())
	return b.String()
}

// Replay returns the command that reruns the failing seed.
func (f *Failure) Replay() string {
	scenario := f.Scenario
	if scenario == "" {
		scenario = "<scenario>"
	}
	return fmt.Sprintf("replay: go run ./cmd/garage-sim run --scenario %s --seed %d", scenario, f.Seed)
}

// fail records the first failure of the run, stamped with where it is;
// the world runs no further.
func (w *World) fail(f *Failure) {
	if w.failure == nil {
		w.failure = w.stamp(f)
	}
}

// stamp fills in where and in which run f happened.
func (w *World) stamp(f *Failure) *Failure {
	f.VTime, f.Step, f.Seed, f.Scenario = w.now, w.steps, w.cfg.Seed, w.cfg.Scenario
	return f
}

// failf returns a failure that does not stop the world (the caller may
// go on running it).
func (w *World) failf(format string, args ...any) error {
	return w.stamp(&Failure{Reason: fmt.Sprintf(format, args...)})
}
