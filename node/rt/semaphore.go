package rt

import (
	"context"
	"fmt"
	"slices"
)

// Semaphore is a counting semaphore: at most n holders at once, for
// bounded concurrency (block transfers, resync workers). It is built from
// a Mutex and Events only, so it is deterministic under the simulator.
// Waiters are served first come, first served: a free slot goes to the
// longest waiter, and Acquire never overtakes a waiter (even when a slot
// is free at that instant).
type Semaphore struct {
	t       Tasks
	mu      Mutex
	n, free int
	waiters []*semWaiter // FIFO
}

// semWaiter is one task parked in Acquire. granted (under the mutex) means
// a Release handed it a slot.
type semWaiter struct {
	ready   Event
	granted bool
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(t Tasks, n int) *Semaphore {
	if n < 1 {
		panic(fmt.Sprintf("rt: semaphore of %d slots", n))
	}
	return &Semaphore{t: t, mu: t.NewMutex(), n: n, free: n}
}

// Acquire takes a slot, waiting behind earlier waiters until one is free.
// It returns ctx.Err() without a slot if ctx is done first (the wait is
// then withdrawn, so later waiters are not held up); if a slot is handed
// over as ctx ends, the slot wins and Acquire returns nil. With ctx
// already done it returns ctx.Err() at once. It is a blocking point.
func (s *Semaphore) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.free > 0 && len(s.waiters) == 0 {
		s.free--
		s.mu.Unlock()
		return nil
	}
	w := &semWaiter{ready: s.t.NewEvent()}
	s.waiters = append(s.waiters, w)
	s.mu.Unlock()
	err := w.ready.Wait(ctx)
	if err == nil {
		return nil
	}
	return s.withdraw(w, err)
}

// withdraw removes w, whose context ended, from the queue; it returns nil
// if w was granted a slot meanwhile.
func (s *Semaphore) withdraw(w *semWaiter, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.granted {
		return nil
	}
	s.waiters = slices.DeleteFunc(s.waiters, func(o *semWaiter) bool { return o == w })
	return err
}

// TryAcquire takes a slot if one is free and nobody waits, without
// blocking, and reports whether it did.
func (s *Semaphore) TryAcquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.free > 0 && len(s.waiters) == 0 {
		s.free--
		return true
	}
	return false
}

// Release gives back a slot, handing it to the longest waiter if any. It
// never blocks, so it may run outside any task (in a started call's done).
// Releasing more slots than were acquired panics.
func (s *Semaphore) Release() {
	s.mu.Lock()
	if len(s.waiters) == 0 {
		if s.free == s.n {
			s.mu.Unlock()
			panic(fmt.Sprintf("rt: release of a semaphore with all %d slots free", s.n))
		}
		s.free++
		s.mu.Unlock()
		return
	}
	w := s.waiters[0]
	s.waiters[0] = nil
	s.waiters = s.waiters[1:]
	w.granted = true
	s.mu.Unlock()
	w.ready.Set()
}

// Waiting returns the number of tasks waiting in Acquire.
func (s *Semaphore) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waiters)
}
