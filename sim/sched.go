package sim

import (
	"fmt"
	"iter"
	"runtime/debug"
	"time"
)

// Tasks run as coroutines (iter.Pull): switching between the goroutine
// driving Run and a task is a direct coroutine switch, with no trip
// through the Go scheduler and no other thread woken. A task reaching a
// blocking point accounts for its step and picks the next task itself
// (firing due timers if none is runnable): if it picked itself it keeps
// running without any switch, otherwise it switches back to the driver,
// which resumes the task picked. A task that returns runs the next task on
// its own goroutine if that one is fresh. A killed task unwinds with a
// panic (taskKill) that its worker recovers, so its goroutine is reused.

// loop drives the scheduler until next says stop.
func (w *World) loop(end time.Duration, cond func() bool) error {
	if w.cur != nil {
		panic("sim: Run called from inside a task")
	}
	if w.closed {
		panic("sim: Run called after Close")
	}
	w.end, w.cond = end, cond
	defer func() { w.cond = nil }()
	for t := w.next(); t != nil; t = w.resume(t) {
	}
	if w.failure != nil {
		return w.failure
	}
	return nil
}

// taskKill is the panic value that unwinds a killed task (its deferred
// calls run); the task's worker recovers it.
type taskKill struct{}

// kill unwinds the current task, which was killed.
func kill() { panic(taskKill{}) }

// next returns the task to run now, chosen uniformly among the runnable
// ones with the scheduler stream, after firing the timers due if none is
// runnable; nil means the run stops. It runs with no current task.
func (w *World) next() *task {
	for w.failure == nil && !w.closing {
		if w.cond != nil && w.cond() {
			return nil
		}
		if len(w.runnable) == 0 && !w.fireNext(w.end) {
			return nil
		}
		if len(w.runnable) > 0 {
			return w.pick()
		}
	}
	return nil
}

// pick removes one runnable task at random, or fails the run at the step
// limit.
func (w *World) pick() *task {
	if w.cfg.MaxSteps > 0 && w.steps >= w.cfg.MaxSteps {
		w.fail(&Failure{Reason: "step limit exceeded"})
		return nil
	}
	i := 0
	if n := len(w.runnable); n > 1 {
		i = w.sched.IntN(n)
	}
	t := w.runnable[i]
	last := len(w.runnable) - 1
	w.runnable[i] = w.runnable[last]
	w.runnable[last] = nil
	w.runnable = w.runnable[:last]
	return t
}

// fireNext advances virtual time to the earliest pending timer, if it is
// not past end, and fires every timer due then. It reports false when
// there is nothing to fire.
func (w *World) fireNext(end time.Duration) bool {
	t := w.timers.peek()
	if t == nil || t.when > end {
		return false
	}
	w.now = max(w.now, t.when)
	for t != nil && t.when <= w.now {
		w.timers.remove(t)
		t.fireNow(w)
		t = w.timers.peek()
	}
	return true
}

// resume runs t, on a worker of its own if it is fresh, until control
// comes back to the driver, and returns the task picked meanwhile (nil
// when the run stops). It runs on the driver.
func (w *World) resume(t *task) *task {
	w.cur, t.state = t, stRunning
	if !t.started {
		wk := w.worker()
		t.started, t.wk, wk.t = true, wk, t
		w.live.add(t)
	}
	t.wk.next()
	n := w.handoff
	w.handoff = nil
	return n
}

// account ends the current task's step: it feeds the trace hash, the
// lockstep recorder and the trace. Unwinding by Close is not a step.
func (w *World) account(t *task) {
	w.cur = nil
	if w.closing {
		return
	}
	w.steps++
	w.hash = mixStep(w.hash, w.steps, t.id, w.now, t.kind)
	if w.rec != nil {
		w.rec.record(w, t)
	}
	if w.cfg.Trace != nil {
		fmt.Fprintf(w.cfg.Trace, "%s step %d %s #%d %s\n", fmtVTime(w.now), w.steps, t.fullName(), t.id, t.kind)
	}
}

// switchFrom ends t's step and passes control on; it returns when t is
// picked again.
func (w *World) switchFrom(t *task) {
	w.account(t)
	n := w.next()
	if n == t {
		w.cur, t.state = t, stRunning
		return
	}
	w.handoff = n
	t.wk.yield(struct{}{})
}

// park blocks the current task until the scheduler picks it again. A task
// killed meanwhile unwinds unless raw is set.
func (w *World) park(k stepKind, raw bool) {
	t := w.cur
	t.state, t.kind = stBlocked, k
	w.switchFrom(t)
	t.gen++
	if t.killed && !raw {
		kill()
	}
}

// yield lets the scheduler pick again without blocking the task.
func (w *World) yield() {
	t := w.current("yield")
	w.makeRunnable(t)
	t.kind = kindYield
	w.switchFrom(t)
	t.gen++
	if t.killed {
		kill()
	}
}

// worker is a coroutine that runs tasks one after the other: a task that
// returns or is unwound leaves its goroutine (and its grown stack) to the
// next task. Only a task calling runtime.Goexit itself takes its worker
// with it.
type worker struct {
	next  func() (struct{}, bool) // switch to the worker (driver side)
	stop  func()                  // end an idle worker
	yield func(struct{}) bool     // switch back to the driver (worker side)
	t     *task                   // the task to run next; nil while idle
}

// worker returns an idle worker, or a new one.
func (w *World) worker() *worker {
	if n := len(w.idle); n > 0 {
		wk := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		return wk
	}
	wk := &worker{}
	wk.next, wk.stop = iter.Pull(func(yield func(struct{}) bool) {
		wk.yield = yield
		w.work(wk)
	})
	return wk
}

// work is a worker's body: run the task assigned (and the fresh tasks it
// hands on to), then wait idle for the next assignment.
func (w *World) work(wk *worker) {
	for t := wk.t; t != nil; t = wk.t {
		for t != nil {
			t = w.run(wk, t)
		}
		if !wk.yield(struct{}{}) {
			return
		}
	}
}

// run runs one task to its end, then passes control on: to a fresh task on
// this same worker if that is the one picked (returned), otherwise to the
// driver, leaving the worker idle.
func (w *World) run(wk *worker, t *task) (then *task) {
	reusable := false
	defer func() {
		t.kind = kindExit
		if r := recover(); r != nil {
			reusable = true
			if _, unwound := r.(taskKill); !unwound {
				t.kind = kindPanic
				w.fail(&Failure{Reason: fmt.Sprintf("task %s panicked: %v", t.fullName(), r),
					Task: t.fullName(), Panic: r, Stack: string(debug.Stack())})
			}
		}
		w.finish(t)
		w.account(t)
		w.recycle(t)
		wk.t = nil
		then = w.handOff(wk, w.next(), reusable)
	}()
	switch {
	case t.killed: // a task killed before it started never runs
	case t.fn == nil:
		w.serve(t.ctx, t)
	default:
		t.fn(t.ctx)
	}
	reusable = true
	return nil
}

// handOff passes control from an ended task's worker to n: the worker runs
// n itself if n is fresh (and returns it), or goes idle. A worker unwinding
// from runtime.Goexit cannot be reused: it switches back to the driver for
// good (finishing the Goexit would end the driver's goroutine too), and
// stays parked until the process exits.
func (w *World) handOff(wk *worker, n *task, reusable bool) *task {
	if !reusable {
		w.handoff = n
		wk.yield(struct{}{})
		select {} // never resumed
	}
	if n != nil && !n.started {
		n.started, n.state, n.wk = true, stRunning, wk
		w.live.add(n)
		w.cur, wk.t = n, n
		return n
	}
	w.idle = append(w.idle, wk)
	w.handoff = n
	return nil
}
