package block

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// signal wakes the tasks waiting for it: an event replaced after each
// notification, so that a wait only sees notifications made after it
// began.
type signal struct {
	t  rt.Tasks
	mu rt.Mutex
	ev rt.Event
}

func newSignal(t rt.Tasks) *signal { return &signal{t: t, mu: t.NewMutex(), ev: t.NewEvent()} }

// notify wakes every waiter. It never blocks.
func (s *signal) notify() {
	s.mu.Lock()
	ev := s.ev
	s.ev = s.t.NewEvent()
	s.mu.Unlock()
	ev.Set()
}

// wait waits up to d for a notification, or for ctx.
func (s *signal) wait(ctx context.Context, d time.Duration) {
	s.mu.Lock()
	ev := s.ev
	s.mu.Unlock()
	wctx, cancel := s.t.WithTimeout(ctx, d)
	defer cancel()
	_ = ev.Wait(wctx)
}
