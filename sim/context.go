package sim

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// simCtx is a context whose cancellation the scheduler observes: cancel
// (explicit, by its parent, or by a virtual-time timer) runs its callbacks
// synchronously, waking every task blocked with it or a descendant.
type simCtx struct {
	w          *World
	parent     context.Context
	done       chan struct{} // made by the first Done call: most contexts never need one
	err        error
	cbs        []ctxCB // in registration order (ascending id)
	dead       int     // entries of cbs unregistered but not yet dropped
	nextCB     uint64
	timer      timer
	stopParent watch
}

// ctxCB is one callback of a context: a function (AfterFunc), a task to
// wake or a child context to cancel, so that the scheduler's own
// registrations need no closure. A zero entry was unregistered.
type ctxCB struct {
	id    uint64
	f     func()
	wk    waker
	child *simCtx
}

func (e ctxCB) live() bool { return e.f != nil || e.wk.t != nil || e.child != nil }

type simCtxKey struct{}

var _ context.Context = (*simCtx)(nil)

// newCtx returns a cancellable sim context under parent. A parent that is
// cancellable but not a sim context (or a WithValue wrapper of one) is
// refused: its cancellation would come from outside the scheduler.
func (w *World) newCtx(parent context.Context) *simCtx {
	c := &simCtx{w: w, parent: parent}
	p, ok := parent.(*simCtx)
	if !ok {
		if parent.Done() == nil {
			return c
		}
		p = simAncestor(parent, "derive a context from")
	}
	if err := p.err; err != nil {
		c.cancel(err)
		return c
	}
	c.stopParent = p.register(ctxCB{child: c})
	return c
}

// withTimeout returns a sim context cancelled with DeadlineExceeded after
// d of virtual time.
func (w *World) withTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	c := w.newCtx(parent)
	if c.err == nil {
		w.arm(&c.timer, d, c, waker{})
	}
	return c, func() { c.cancel(context.Canceled) }
}

// simAncestor returns the sim context whose cancellation ctx shares, or
// panics naming the operation if ctx could be cancelled some other way.
func simAncestor(ctx context.Context, op string) *simCtx {
	if c, ok := ctx.(*simCtx); ok {
		return c
	}
	c, _ := ctx.Value(simCtxKey{}).(*simCtx)
	if c == nil || c.Done() != ctx.Done() {
		panic("sim: cannot " + op + " a context the simulator does not control " +
			"(use env.Tasks.WithCancel/WithTimeout, not the context package)")
	}
	return c
}

// fire cancels the context at its deadline.
func (c *simCtx) fire(*World) { c.cancel(context.DeadlineExceeded) }

// Deadline reports no deadline: sim deadlines are in virtual time, which
// the real clock knows nothing of.
func (c *simCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done is closed when the context is cancelled. The channel is made on
// the first call (closed at once if the context is already cancelled):
// the scheduler itself never waits on it.
func (c *simCtx) Done() <-chan struct{} {
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		}
	}
	return c.done
}

// Err is nil until the context is cancelled, then the reason.
func (c *simCtx) Err() error { return c.err }

// Value answers for the sim context key and defers to the parent otherwise.
func (c *simCtx) Value(key any) any {
	if key == (simCtxKey{}) {
		return c
	}
	return c.parent.Value(key)
}

// AfterFunc arranges for f to run, synchronously, when the context is
// cancelled (at once if it already is). stop unregisters f and reports
// whether it did so before f ran. The context package finds this method and
// uses it to propagate cancellation to its own children without a goroutine.
func (c *simCtx) AfterFunc(f func()) (stop func() bool) {
	if c.err != nil {
		f()
		return noStop
	}
	return c.register(ctxCB{f: f}).stop
}

// watch is one registration with a context; its zero value registers
// nothing.
type watch struct {
	c   *simCtx
	id  uint64
	pos int // where the entry was put: still there unless a compaction moved it
}

// register appends a callback; the context must not be cancelled yet.
func (c *simCtx) register(e ctxCB) watch {
	e.id = c.nextCB
	c.nextCB++
	c.cbs = append(c.cbs, e)
	return watch{c: c, id: e.id, pos: len(c.cbs) - 1}
}

// stop unregisters the callback and reports whether it had not run yet.
// The entry is found where it was put, unless a compaction moved it (then
// by a search). The latest registration is the common one to stop (a
// task's wait, a handler's context): it is dropped with the unregistered
// entries before it, so that a long-lived context's list stays short.
func (h watch) stop() bool {
	c := h.c
	if c == nil {
		return false
	}
	n := len(c.cbs)
	i, found := h.pos, h.pos < n && c.cbs[h.pos].id == h.id
	if !found {
		i, found = slices.BinarySearchFunc(c.cbs, h.id, func(e ctxCB, id uint64) int { return cmp.Compare(e.id, id) })
	}
	if !found || !c.cbs[i].live() {
		return false
	}
	c.cbs[i] = ctxCB{id: h.id}
	c.dead++
	if c.err != nil {
		return true
	}
	for n > 0 && !c.cbs[n-1].live() {
		c.cbs[n-1] = ctxCB{}
		n--
		c.dead--
	}
	c.cbs = c.cbs[:n]
	if c.dead > 8 && 2*c.dead > len(c.cbs) {
		c.compact()
	}
	return true
}

// compact drops the unregistered callbacks, keeping the order.
func (c *simCtx) compact() {
	live := c.cbs[:0]
	for _, e := range c.cbs {
		if e.live() {
			live = append(live, e)
		}
	}
	clear(c.cbs[len(live):])
	c.cbs, c.dead = live, 0
}

// cancel sets err, closes Done and runs the callbacks in registration
// order. Later calls do nothing.
func (c *simCtx) cancel(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	c.w.stop(&c.timer)
	c.stopParent.stop()
	for i := 0; i < len(c.cbs); i++ { // a callback may unregister later ones
		e := c.cbs[i]
		if !e.live() {
			continue
		}
		c.cbs[i] = ctxCB{id: e.id}
		switch {
		case e.f != nil:
			e.f()
		case e.child != nil:
			e.child.cancel(err)
		default:
			c.w.wake(e.wk)
		}
	}
	c.cbs, c.dead = nil, 0
}

// watch wakes wk when ctx is done and returns the registration, whose stop
// undoes it. A context already done registers nothing.
func (w *World) watch(ctx context.Context, wk waker) watch {
	c, ok := ctx.(*simCtx)
	if !ok {
		if ctx.Done() == nil {
			return watch{}
		}
		c = simAncestor(ctx, "block on")
	}
	return c.watchWake(wk)
}

// watchWake wakes wk when c is done, unless c is done already.
func (c *simCtx) watchWake(wk waker) watch {
	if c.err != nil {
		return watch{}
	}
	return c.register(ctxCB{wk: wk})
}

func noStop() bool { return false }
