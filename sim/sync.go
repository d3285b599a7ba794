package sim

import (
	"context"
	"runtime"

	"github.com/gogarage/garage/node/rt"
)

// event is the sim rt.Event. An event made by a node belongs to that
// node's incarnation: when it crashes, tasks of other nodes or of the world
// waiting on it get rt.ErrUnreachable, as a client of a crashed server
// would, instead of waiting forever for tasks that were unwound.
type event struct {
	w       *World
	inc     *incarnation // nil for world events
	set     bool
	waiters []waker
	first   [1]waker // initial backing array of waiters
}

var _ rt.Event = (*event)(nil)

// Set sets the event and wakes its waiters in the order they came.
func (e *event) Set() {
	if e.set {
		return
	}
	e.set = true
	for _, wk := range e.waiters {
		e.w.wake(wk)
	}
	e.waiters = nil
}

// IsSet reports whether Set was called.
func (e *event) IsSet() bool { return e.set }

// Wait parks the task until the event is set or ctx is done, or, for a
// task foreign to the event's node, until that node crashes.
func (e *event) Wait(ctx context.Context) error {
	for !e.set {
		if err := ctx.Err(); err != nil {
			return err
		}
		foreign := e.inc != nil && e.w.current("Event.Wait").inc != e.inc
		if foreign && e.inc.dead {
			return rt.ErrUnreachable
		}
		wk := e.w.prepare("Event.Wait")
		e.addWaiter(wk)
		cw, crash := e.w.watch(ctx, wk), watch{}
		if foreign {
			crash = e.inc.life.watchWake(wk)
		}
		e.w.park(kindWait, false)
		cw.stop()
		crash.stop()
	}
	return nil
}

// addWaiter appends wk, first dropping stale waiters when the list grows,
// so an event waited on with many timeouts does not leak.
func (e *event) addWaiter(wk waker) {
	if len(e.waiters) >= 16 && len(e.waiters)&(len(e.waiters)-1) == 0 {
		live := e.waiters[:0]
		for _, o := range e.waiters {
			if o.t.state == stBlocked && o.t.gen == o.gen {
				live = append(live, o)
			}
		}
		clear(e.waiters[len(live):])
		e.waiters = live
	}
	e.waiters = append(e.waiters, wk)
}

// mutex is the sim rt.Mutex: FIFO hand-off, and no blocking while held.
type mutex struct {
	w       *World
	locked  bool
	holder  *task
	waiters []*task
}

var _ rt.Mutex = (*mutex)(nil)

// Lock takes the mutex, parking the task while another holds it. Taking a
// contended mutex while holding another panics (it is a blocking point).
func (m *mutex) Lock() {
	t := m.w.cur
	if !m.locked {
		m.take(t)
		return
	}
	if t == nil {
		panic("sim: contended rt.Mutex locked outside a sim task")
	}
	if m.holder == t {
		panic("sim: rt.Mutex locked twice by task " + t.fullName() + ", first at " + pcSite(t.heldPC))
	}
	m.w.prepare("Mutex.Lock")
	m.waiters = append(m.waiters, t)
	for m.holder != t {
		m.w.park(kindLock, true)
		if t.killed {
			m.abandon(t)
			kill()
		}
	}
	m.noteHeld(t, 3)
}

// take locks a free mutex for t (nil outside tasks).
func (m *mutex) take(t *task) {
	m.locked, m.holder = true, t
	if t != nil {
		m.noteHeld(t, 4)
	}
}

// noteHeld counts the mutex as held by t and remembers the caller of Lock,
// skip frames up.
func (m *mutex) noteHeld(t *task, skip int) {
	t.held++
	if !m.w.cfg.MutexSites {
		return
	}
	var pcs [1]uintptr
	if runtime.Callers(skip, pcs[:]) == 1 {
		t.heldPC = pcs[0]
	}
}

// abandon removes a killed waiter, passing the mutex on if it was handed
// to it meanwhile.
func (m *mutex) abandon(t *task) {
	if m.holder == t {
		t.held++
		m.Unlock()
		return
	}
	for i, o := range m.waiters {
		if o == t {
			m.waiters = append(m.waiters[:i], m.waiters[i+1:]...)
			return
		}
	}
}

// Unlock releases the mutex, handing it to the longest waiter if any.
func (m *mutex) Unlock() {
	if !m.locked {
		panic("sim: unlock of unlocked rt.Mutex")
	}
	if m.holder != nil {
		m.holder.held--
	}
	if len(m.waiters) == 0 {
		m.locked, m.holder = false, nil
		return
	}
	next := m.waiters[0]
	m.waiters = m.waiters[1:]
	m.holder = next
	if next.state == stBlocked {
		m.w.makeRunnable(next)
	}
}
