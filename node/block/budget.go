package block

import (
	"context"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// budget is a byte-weighted semaphore: the RAM buffer of blocks in
// flight. Waiters are served first come, first served, so a large block
// is not starved by small ones. It is built from a Mutex and Events only,
// so it is deterministic under the simulator.
type budget struct {
	t       rt.Tasks
	mu      rt.Mutex
	max     int64
	used    int64
	waiters []*budgetWaiter // FIFO
}

type budgetWaiter struct {
	n       int64
	ready   rt.Event
	granted bool
}

func newBudget(t rt.Tasks, max int64) *budget {
	return &budget{t: t, mu: t.NewMutex(), max: max}
}

// clamp bounds a request by the whole budget, so that a block larger than
// the buffer can still pass alone.
func (b *budget) clamp(n int64) int64 { return min(max(n, 1), b.max) }

// acquire takes n bytes, waiting behind earlier waiters until they fit. It
// returns ctx.Err() without the bytes if ctx ends first. It returns the
// amount to release.
func (b *budget) acquire(ctx context.Context, n int64) (int64, error) {
	n = b.clamp(n)
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.max {
		b.used += n
		b.mu.Unlock()
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: b.t.NewEvent()}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	if err := w.ready.Wait(ctx); err != nil {
		return n, b.withdraw(w, err)
	}
	return n, nil
}

func (b *budget) withdraw(w *budgetWaiter, err error) error {
	b.mu.Lock()
	if w.granted {
		b.mu.Unlock()
		return nil
	}
	b.waiters = slices.DeleteFunc(b.waiters, func(o *budgetWaiter) bool { return o == w })
	ready := b.grantLocked()
	b.mu.Unlock()
	setAll(ready)
	return err
}

// release gives back n bytes and wakes the waiters that now fit. It never
// blocks.
func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	if b.used < 0 {
		b.mu.Unlock()
		panic("block: RAM buffer released more than acquired")
	}
	ready := b.grantLocked()
	b.mu.Unlock()
	setAll(ready)
}

// grantLocked hands bytes to the waiters at the head that fit.
func (b *budget) grantLocked() []rt.Event {
	var ready []rt.Event
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.max {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.used += w.n
		w.granted = true
		ready = append(ready, w.ready)
	}
	return ready
}

func setAll(evs []rt.Event) {
	for _, e := range evs {
		e.Set()
	}
}

// inUse returns the bytes held and the number of waiters.
func (b *budget) inUse() (int64, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, len(b.waiters)
}
