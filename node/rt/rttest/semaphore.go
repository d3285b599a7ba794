package rttest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// The semaphore cases of TestTasks.

func semTry(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	s := rt.NewSemaphore(env.Tasks, 2)
	if !s.TryAcquire() || !s.TryAcquire() || s.TryAcquire() {
		t.Errorf("TryAcquire on 2 slots: want true, true, false")
	}
	done, cancel := env.Tasks.WithCancel(ctx)
	cancel()
	if err := s.Acquire(done); !errors.Is(err, context.Canceled) {
		t.Errorf("Acquire with a cancelled context and no slot: %v, want Canceled", err)
	}
	s.Release()
	if err := s.Acquire(ctx); err != nil || s.TryAcquire() {
		t.Errorf("after a Release: Acquire %v, then TryAcquire succeeded; want nil, false", err)
	}
	s.Release()
	s.Release()
	defer func() {
		if recover() == nil {
			t.Errorf("Release of a semaphore with every slot free did not panic")
		}
	}()
	s.Release()
}

// semBound runs 12 tasks through a semaphore of 3 slots: never more than 3
// hold it at once, and 3 do at some point.
func semBound(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	s := rt.NewSemaphore(env.Tasks, 3)
	holders, finished := newCounter(env.Tasks), newCounter(env.Tasks)
	all := env.Tasks.NewEvent()
	const workers = 12
	for range workers {
		env.Tasks.Spawn("worker", func(tctx context.Context) {
			if err := s.Acquire(tctx); err != nil {
				t.Errorf("Acquire: %v", err)
				return
			}
			holders.add(1)
			_ = env.Clock.Sleep(tctx, 5*time.Millisecond)
			holders.add(-1)
			s.Release()
			if finished.add(1) == workers {
				all.Set()
			}
		})
	}
	wctx, cancel := within(env, ctx)
	defer cancel()
	if err := all.Wait(wctx); err != nil || holders.max() != 3 {
		t.Errorf("12 workers over 3 slots: at most %d holders at once (%v), want 3", holders.max(), err)
	}
}

// queueWaiters starts n tasks that acquire s in order (each queued before
// the next starts) and log their index once they hold it; ctxs[i], if not
// nil, is waiter i's context.
func queueWaiters(env rt.Env, ctx context.Context, s *rt.Semaphore, ctxs []context.Context, got *log) bool {
	for i, wctx := range ctxs {
		if wctx == nil {
			wctx = ctx
		}
		env.Tasks.Spawn("waiter", func(context.Context) {
			if err := s.Acquire(wctx); err != nil {
				got.add(fmt.Sprintf("%d:%v", i, errKind(err)))
				return
			}
			got.add(fmt.Sprint(i))
		})
		if !waitUntil(ctx, env.Clock, long, func() bool { return s.Waiting() == i+1 }) {
			return false
		}
	}
	return true
}

// releaseInOrder releases n slots one at a time, each once the previous
// one was taken, and returns the log of the waiters' outcomes.
func releaseInOrder(env rt.Env, ctx context.Context, s *rt.Semaphore, n int, got *log) []string {
	base := len(got.all())
	for i := range n {
		s.Release()
		waitUntil(ctx, env.Clock, long, func() bool { return len(got.all()) == base+i+1 })
	}
	return got.all()
}

func semFIFO(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	s := rt.NewSemaphore(env.Tasks, 1)
	if !s.TryAcquire() {
		t.Errorf("TryAcquire of a free semaphore failed")
		return
	}
	got := newLog(env.Tasks)
	if !queueWaiters(env, ctx, s, make([]context.Context, 5), got) {
		t.Errorf("waiters not queued: %d waiting", s.Waiting())
		return
	}
	if s.TryAcquire() {
		t.Errorf("TryAcquire overtook queued waiters")
	}
	if order := releaseInOrder(env, ctx, s, 5, got); !slices.Equal(order, []string{"0", "1", "2", "3", "4"}) {
		t.Errorf("slots went to waiters %q, want first come, first served", order)
	}
}

// semCancel checks that a waiter whose context ends leaves the queue: the
// slot goes to the next waiter and none is lost.
func semCancel(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	s := rt.NewSemaphore(env.Tasks, 1)
	s.TryAcquire()
	cctx, cancel := env.Tasks.WithCancel(ctx)
	got := newLog(env.Tasks)
	if !queueWaiters(env, ctx, s, []context.Context{nil, cctx, nil}, got) {
		t.Errorf("waiters not queued: %d waiting", s.Waiting())
		return
	}
	cancel()
	waitUntil(ctx, env.Clock, long, func() bool { return len(got.all()) == 1 })
	order := releaseInOrder(env, ctx, s, 2, got)
	if !slices.Equal(order, []string{"1:canceled", "0", "2"}) {
		t.Errorf("outcomes %q, want 1:canceled, 0, 2", order)
	}
	s.Release() // waiter 2's slot (the releases above passed on the others)
	if !s.TryAcquire() || s.TryAcquire() {
		t.Errorf("after every release: want exactly 1 free slot")
	}
}
