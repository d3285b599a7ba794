package sim

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// taskState is where a task is in its life.
type taskState uint8

const (
	stRunnable taskState = iota // in the runnable set
	stRunning                   // holds the token
	stBlocked                   // parked at a blocking point
	stDone                      // returned, panicked or unwound
)

// stepKind is why a task handed the token back; it feeds the trace hash.
type stepKind uint8

const (
	kindYield stepKind = iota + 1
	kindExit
	kindSleep
	kindWait
	kindCall
	kindLock
	kindPanic
)

func (k stepKind) String() string {
	names := [...]string{"?", "yield", "exit", "sleep", "wait", "call", "lock", "panic"}
	if int(k) < len(names) {
		return names[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// task is one simulated thread of control: a goroutine that runs only while
// it holds the token.
type task struct {
	id      uint64
	name    string
	inc     *incarnation // nil for world tasks
	fn      func(ctx context.Context)
	ctx     context.Context
	wake    chan struct{} // its worker's channel, once started
	state   taskState
	started bool
	killed  bool
	gen     uint64 // park generation: wake-ups for an older one are stale
	kind    stepKind
	held    int     // rt.Mutexes held
	heldPC  uintptr // acquisition site of the last mutex taken
}

// waker names one park of one task; waking it after the task moved on is a
// no-op.
type waker struct {
	t   *task
	gen uint64
}

// fullName is the task's name qualified by its node, for reports.
func (t *task) fullName() string {
	if t.inc == nil {
		return t.name
	}
	return string(t.inc.n.id) + "/" + t.name
}

// spawn creates a runnable task. Its goroutine starts when the scheduler
// first picks it.
func (w *World) spawn(name string, inc *incarnation, ctx context.Context, fn func(context.Context)) *task {
	w.taskSeq++
	t := &task{id: w.taskSeq, name: name, inc: inc, fn: fn, ctx: ctx}
	if inc != nil {
		inc.tasks[t.id] = t
	}
	w.makeRunnable(t)
	return t
}

func (w *World) makeRunnable(t *task) {
	t.state = stRunnable
	w.runnable = append(w.runnable, t)
}

// current returns the task holding the token; it panics outside a task.
func (w *World) current(what string) *task {
	if w.cur == nil {
		panic("sim: " + what + " called outside a sim task (use World.Go or a node's Tasks.Spawn)")
	}
	return w.cur
}

// prepare returns the waker for the current task's next park.
func (w *World) prepare(what string) waker {
	t := w.current(what)
	if t.held > 0 {
		panic(fmt.Sprintf("sim: task %s reaches a blocking point (%s) while holding an rt.Mutex locked at %s",
			t.fullName(), what, pcSite(t.heldPC)))
	}
	return waker{t: t, gen: t.gen}
}

// wake makes the parked task runnable if it is still in the park wk names.
func (w *World) wake(wk waker) {
	if wk.t.state == stBlocked && wk.t.gen == wk.gen {
		w.makeRunnable(wk.t)
	}
}

// park hands the token back and blocks until the scheduler resumes the
// task. A task killed meanwhile unwinds (runtime.Goexit) unless raw is set.
func (w *World) park(k stepKind, raw bool) {
	t := w.cur
	t.state = stBlocked
	t.kind = k
	w.back <- struct{}{}
	<-t.wake
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
	w.back <- struct{}{}
	<-t.wake
	t.gen++
	if t.killed {
		runtime.Goexit()
	}
}

// worker is a goroutine that runs tasks one after the other: a task that
// returns leaves its goroutine (and its grown stack) to the next task to
// start. A task unwound by runtime.Goexit takes its goroutine with it.
type worker struct {
	wake chan struct{}
	t    *task // the task to run next; nil tells the worker to quit
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

// work is a worker's goroutine.
func (w *World) work(wk *worker) {
	for wk.t != nil {
		w.run(wk, wk.t)
		<-wk.wake
	}
}

// run runs one task to its end. On return or panic the worker goes idle
// before the token goes back; on Goexit the goroutine ends.
func (w *World) run(wk *worker, t *task) {
	returned := false
	defer func() {
		t.kind = kindExit
		if r := recover(); r != nil {
			t.kind = kindPanic
			returned = true
			w.fail(&Failure{Reason: fmt.Sprintf("task %s panicked: %v", t.fullName(), r),
				Task: t.fullName(), Panic: r, Stack: string(debug.Stack())})
		}
		w.finish(t)
		if returned {
			wk.t = nil
			w.idle = append(w.idle, wk)
		}
		w.back <- struct{}{}
	}()
	if !t.killed { // a task killed before it started never runs
		t.fn(t.ctx)
	}
	returned = true
}

// finish forgets a task that ended.
func (w *World) finish(t *task) {
	t.state = stDone
	delete(w.live, t.id)
	if t.inc != nil {
		delete(t.inc.tasks, t.id)
	}
}

// pcSite renders a program counter as file:line (function).
func pcSite(pc uintptr) string {
	if pc == 0 {
		return "an unrecorded site (set Config.MutexSites to record it)"
	}
	f := runtime.FuncForPC(pc - 1)
	if f == nil {
		return "unknown site"
	}
	file, line := f.FileLine(pc - 1)
	return fmt.Sprintf("%s:%d (%s)", file, line, f.Name())
}
