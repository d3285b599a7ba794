package sim

import (
	"context"
	"sort"
	"time"
)

// simCtx is a context whose cancellation the scheduler observes: cancel
// (explicit, by its parent, or by a virtual-time timer) runs its callbacks
// synchronously, waking every task blocked with it or a descendant.
type simCtx struct {
	w          *World
	parent     context.Context
	done       chan struct{}
	err        error
	cbs        map[uint64]func()
	nextCB     uint64
	timer      *timer
	stopParent func() bool
}

type simCtxKey struct{}

var _ context.Context = (*simCtx)(nil)

// newCtx returns a cancellable sim context under parent. A parent that is
// cancellable but not a sim context (or a WithValue wrapper of one) is
// refused: its cancellation would come from outside the scheduler.
func (w *World) newCtx(parent context.Context) *simCtx {
	c := &simCtx{w: w, parent: parent, done: make(chan struct{})}
	if parent.Done() == nil {
		return c
	}
	p := simAncestor(parent, "derive a context from")
	if err := p.err; err != nil {
		c.cancel(err)
		return c
	}
	c.stopParent = p.AfterFunc(func() { c.cancel(p.err) })
	return c
}

// withTimeout returns a sim context cancelled with DeadlineExceeded after
// d of virtual time.
func (w *World) withTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	c := w.newCtx(parent)
	if c.err == nil {
		c.timer = w.after(d, func() { c.cancel(context.DeadlineExceeded) })
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
	if c == nil || (<-chan struct{})(c.done) != ctx.Done() {
		panic("sim: cannot " + op + " a context the simulator does not control " +
			"(use env.Tasks.WithCancel/WithTimeout, not the context package)")
	}
	return c
}

// Deadline reports no deadline: sim deadlines are in virtual time, which
// the real clock knows nothing of.
func (c *simCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done is closed when the context is cancelled.
func (c *simCtx) Done() <-chan struct{} { return c.done }

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
		return func() bool { return false }
	}
	if c.cbs == nil {
		c.cbs = map[uint64]func(){}
	}
	id := c.nextCB
	c.nextCB++
	c.cbs[id] = f
	return func() bool {
		_, ok := c.cbs[id]
		delete(c.cbs, id)
		return ok
	}
}

// cancel sets err, closes Done and runs the callbacks in registration
// order. Later calls do nothing.
func (c *simCtx) cancel(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	close(c.done)
	c.timer.stop()
	if c.stopParent != nil {
		c.stopParent()
	}
	ids := make([]uint64, 0, len(c.cbs))
	for id := range c.cbs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if f, ok := c.cbs[id]; ok {
			delete(c.cbs, id)
			f()
		}
	}
}

// watch wakes wk when ctx is done and returns the function that undoes it.
func (w *World) watch(ctx context.Context, wk waker) func() bool {
	if ctx.Done() == nil {
		return noStop
	}
	c := simAncestor(ctx, "block on")
	return c.AfterFunc(func() { w.wake(wk) })
}

func noStop() bool { return false }
