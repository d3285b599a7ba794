package sim

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
)

// The token passes directly from task to task: a task reaching a blocking
// point accounts for its step, picks the next task itself (firing due
// timers if none is runnable) and wakes it, then sleeps until it is picked
// again. The goroutine driving Run only gets the token back when the run
// must stop (idle, past its end, condition met, failure). A task that is
// picked again right away keeps running without any goroutine switch, and
// a task that returns runs the next fresh task on its own goroutine.

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
	for t := w.next(); t != nil; t = w.next() {
		w.transfer(t)
		<-w.back
	}
	if w.failure != nil {
		return w.failure
	}
	return nil
}

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

// transfer gives the token to t (the driver if t is nil), starting t's
// goroutine if it never ran.
func (w *World) transfer(t *task) {
	w.cur = t
	if t == nil {
		w.back <- struct{}{}
		return
	}
	t.state = stRunning
	if t.started {
		t.wake <- struct{}{}
		return
	}
	t.started = true
	w.live[t.id] = t
	w.launch(t)
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

// switchFrom ends t's step and passes the token on; it returns when t is
// picked again.
func (w *World) switchFrom(t *task) {
	w.account(t)
	n := w.next()
	if n == t {
		w.cur, t.state = t, stRunning
		return
	}
	w.transfer(n)
	<-t.wake
}

// park blocks the current task until the scheduler picks it again. A task
// killed meanwhile unwinds (runtime.Goexit) unless raw is set.
func (w *World) park(k stepKind, raw bool) {
	t := w.cur
	t.state, t.kind = stBlocked, k
	w.switchFrom(t)
	t.gen++
	if t.killed && !raw {
		runtime.Goexit()
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
		runtime.Goexit()
	}
}

// worker is a goroutine that runs tasks one after the other: a task that
// returns leaves its goroutine (and its grown stack) to the next task. A
// task unwound by runtime.Goexit takes its goroutine with it.
type worker struct {
	wake chan struct{}
	t    *task // the task to run next; nil while idle, or to quit
}

// launch gives t a worker (an idle one if any) and runs it.
func (w *World) launch(t *task) {
	if n := len(w.idle); n > 0 {
		wk := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		wk.t, t.wake = t, wk.wake
		wk.wake <- struct{}{}
		return
	}
	wk := &worker{wake: make(chan struct{}, 1), t: t}
	t.wake = wk.wake
	go w.work(wk)
}

// work is a worker's goroutine. It reads wk.t only while it holds the
// token: once it passed the token on, another task may assign it work.
func (w *World) work(wk *worker) {
	t := wk.t
	for {
		for t != nil {
			t = w.run(wk, t)
		}
		<-wk.wake
		if t = wk.t; t == nil {
			return
		}
	}
}

// run runs one task to its end, then passes the token on: to a fresh task
// on this same goroutine if that is the one picked (wk.t), otherwise to
// whoever is picked, leaving the worker idle. After a Goexit the goroutine
// ends instead.
func (w *World) run(wk *worker, t *task) (then *task) {
	returned := false
	defer func() {
		t.kind = kindExit
		if r := recover(); r != nil {
			t.kind, returned = kindPanic, true
			w.fail(&Failure{Reason: fmt.Sprintf("task %s panicked: %v", t.fullName(), r),
				Task: t.fullName(), Panic: r, Stack: string(debug.Stack())})
		}
		w.finish(t)
		w.account(t)
		wk.t = nil
		then = w.handOff(wk, w.next(), returned)
	}()
	if !t.killed { // a task killed before it started never runs
		t.fn(t.ctx)
	}
	returned = true
	return nil
}

// handOff passes the token from an ended task's worker to n. A worker whose
// goroutine goes on (reusable) runs n itself if n is fresh (and returns
// it), or goes idle.
func (w *World) handOff(wk *worker, n *task, reusable bool) *task {
	if !reusable {
		w.transfer(n)
		return nil
	}
	if n != nil && !n.started {
		n.started, n.state, n.wake = true, stRunning, wk.wake
		w.live[n.id] = n
		w.cur, wk.t = n, n
		return n
	}
	w.idle = append(w.idle, wk)
	w.transfer(n)
	return nil
}
