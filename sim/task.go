package sim

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
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
	wk      *worker // its worker, once started
	state   taskState
	started bool
	killed  bool
	gen     uint64 // park generation: wake-ups for an older one are stale
	kind    stepKind
	held    int     // rt.Mutexes held
	heldPC  uintptr // acquisition site of the last mutex taken
	sleep   timer   // the timer of its Sleep, reused from one to the next
	rpc     rpcReq  // the request it serves, for an RPC handler task
	livePos int     // in World.live
	incPos  int     // in its incarnation's tasks
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
	t := w.newTask()
	t.id, t.name, t.inc, t.fn, t.ctx = w.taskSeq, name, inc, fn, ctx
	if inc != nil {
		inc.tasks.add(t)
	}
	w.makeRunnable(t)
	return t
}

// makeRunnable puts t in the runnable set, or aside if its node is paused.
func (w *World) makeRunnable(t *task) {
	t.state = stRunnable
	if w.paused > 0 && t.inc != nil && t.inc.paused {
		t.inc.hold(t)
		return
	}
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

// finish forgets a task that ended.
func (w *World) finish(t *task) {
	t.state = stDone
	w.live.remove(t)
	if t.inc != nil {
		t.inc.tasks.remove(t)
	}
}

// newTask returns a blank task, recycled if one is free.
func (w *World) newTask() *task { return w.free.get() }

// recycle keeps an ended (and accounted) task for a later spawn. Its park
// generation only grows, so wakers of its past parks stay stale. A task
// still named by a mutex (it returned holding one) or by a timer (killed
// while sleeping) is left to the garbage collector.
func (w *World) recycle(t *task) {
	if t.held != 0 || t.sleep.armed() {
		return
	}
	gen := t.gen + 1
	w.free.put(t)
	t.gen = gen
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

// posSet is an unordered set of items that record their own position in
// it, so that adding and removing are O(1) with no hashing: the scheduler
// adds and removes tasks and calls at every step, and iterates over them
// (in id order) only on crashes, Close and Blocked.
type posSet[T any] struct {
	items []T
	pos   func(T) *int   // the item's 1 + index field; 0 when out
	id    func(T) uint64 // the order of sorted
}

func (s *posSet[T]) len() int { return len(s.items) }

// add inserts x, which must not be in the set.
func (s *posSet[T]) add(x T) {
	s.items = append(s.items, x)
	*s.pos(x) = len(s.items)
}

// remove takes x out of the set if it is in.
func (s *posSet[T]) remove(x T) {
	p := s.pos(x)
	i := *p - 1
	if i < 0 {
		return
	}
	last := len(s.items) - 1
	if i != last {
		s.items[i] = s.items[last]
		*s.pos(s.items[i]) = i + 1
	}
	var zero T
	s.items[last] = zero
	s.items = s.items[:last]
	*p = 0
}

// sorted returns the items in ascending id order, as a new slice.
func (s *posSet[T]) sorted() []T {
	out := slices.Clone(s.items)
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(s.id(a), s.id(b)) })
	return out
}

func newTaskSet(pos func(*task) *int) posSet[*task] {
	return posSet[*task]{pos: pos, id: func(t *task) uint64 { return t.id }}
}

func livePos(t *task) *int { return &t.livePos }
func incPos(t *task) *int  { return &t.incPos }

func newCallSet() posSet[*call] {
	return posSet[*call]{pos: func(c *call) *int { return &c.pos }, id: func(c *call) uint64 { return c.id }}
}
