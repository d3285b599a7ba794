package host

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// The check* functions are a small conformance suite of the semantics node
// code relies on in rt.Tasks, rt.Event, rt.Mutex and rt.Clock. They use
// only the ports, so any real-time driver can run them.

// checkEvent: set/unset, nil wins over a done context, every waiter wakes.
func checkEvent(t *testing.T, tasks rt.Tasks) {
	t.Helper()
	e := tasks.NewEvent()
	if e.IsSet() {
		t.Fatal("new event is set")
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Wait(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait on unset event with done ctx: got %v, want Canceled", err)
	}
	var woken atomic.Int32
	all := tasks.NewEvent()
	const waiters = 8
	for range waiters {
		tasks.Spawn("waiter", func(context.Context) {
			if e.Wait(context.Background()) == nil && woken.Add(1) == waiters {
				all.Set()
			}
		})
	}
	e.Set()
	e.Set() // a second Set is harmless
	if !e.IsSet() || e.Wait(done) != nil {
		t.Fatal("set event: IsSet false or Wait with a done ctx did not return nil")
	}
	if err := all.Wait(context.Background()); err != nil || woken.Load() != waiters {
		t.Fatalf("woke %d of %d waiters (%v)", woken.Load(), waiters, err)
	}
}

// checkMutex: many tasks incrementing under the mutex lose no update.
func checkMutex(t *testing.T, tasks rt.Tasks) {
	t.Helper()
	mu := tasks.NewMutex()
	const workers, rounds = 16, 500
	count, finished := 0, 0
	done := tasks.NewEvent()
	for range workers {
		tasks.Spawn("inc", func(context.Context) {
			for range rounds {
				mu.Lock()
				count++
				mu.Unlock()
			}
			mu.Lock()
			finished++
			last := finished == workers
			mu.Unlock()
			if last {
				done.Set()
			}
		})
	}
	done.Wait(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if count != workers*rounds {
		t.Fatalf("counter %d, want %d", count, workers*rounds)
	}
}

// checkContexts: WithTimeout expires, WithCancel cancels, and the clock's
// Sleep honours both.
func checkContexts(t *testing.T, tasks rt.Tasks, clock rt.Clock) {
	t.Helper()
	start := clock.Mono()
	ctx, cancel := tasks.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := tasks.NewEvent().Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait under WithTimeout: got %v, want DeadlineExceeded", err)
	}
	if waited := clock.Mono() - start; waited < 20*time.Millisecond {
		t.Fatalf("WithTimeout(20ms) expired after %v", waited)
	}
	cctx, ccancel := tasks.WithCancel(context.Background())
	tasks.Spawn("canceller", func(context.Context) { ccancel() })
	if err := clock.Sleep(cctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("sleep under a cancelled ctx: got %v, want Canceled", err)
	}
}

// checkClock: Mono never goes back, Sleep never returns early, Sleep(0)
// returns at once.
func checkClock(t *testing.T, clock rt.Clock) {
	t.Helper()
	prev := clock.Mono()
	for range 1000 {
		now := clock.Mono()
		if now < prev {
			t.Fatalf("Mono went back: %v after %v", now, prev)
		}
		prev = now
	}
	if err := clock.Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Sleep(0): %v", err)
	}
	start := clock.Mono()
	if err := clock.Sleep(context.Background(), 15*time.Millisecond); err != nil {
		t.Fatalf("Sleep: %v", err)
	}
	if slept := clock.Mono() - start; slept < 15*time.Millisecond {
		t.Fatalf("Sleep(15ms) returned after %v", slept)
	}
	if d := clock.Now().Sub(time.Now()).Abs(); d > time.Minute {
		t.Fatalf("Now is %v off the system clock", d)
	}
}

func TestConformance(t *testing.T) {
	tasks := NewTasks(context.Background())
	defer tasks.Stop()
	clock := NewClock()
	t.Run("Event", func(t *testing.T) { checkEvent(t, tasks) })
	t.Run("Mutex", func(t *testing.T) { checkMutex(t, tasks) })
	t.Run("Contexts", func(t *testing.T) { checkContexts(t, tasks, clock) })
	t.Run("Clock", func(t *testing.T) { checkClock(t, clock) })
}

func TestTasksStop(t *testing.T) {
	tasks := NewTasks(context.Background())
	var ended atomic.Int32
	for range 10 {
		tasks.Spawn("sleeper", func(ctx context.Context) {
			<-ctx.Done()
			ended.Add(1)
		})
	}
	if got := tasks.Running(); got != 10 {
		t.Fatalf("running %d, want 10", got)
	}
	tasks.Stop()
	if ended.Load() != 10 || tasks.Running() != 0 {
		t.Fatalf("after Stop: %d ended, %d running; want 10, 0", ended.Load(), tasks.Running())
	}
	ran := make(chan error, 1)
	tasks.Spawn("late", func(ctx context.Context) { ran <- ctx.Err() })
	tasks.Wait()
	if err := <-ran; !errors.Is(err, context.Canceled) {
		t.Fatalf("task spawned after Stop saw ctx error %v, want Canceled", err)
	}
}

// TestQuorumOverHostTasks runs rt's generic quorum wait on real goroutines.
func TestQuorumOverHostTasks(t *testing.T) {
	tasks := NewTasks(context.Background())
	defer tasks.Stop()
	rest := make(chan []rt.Result[int], 1)
	call := func(_ context.Context, i int) (int, error) {
		if i == 1 {
			return 0, errors.New("down")
		}
		return i * 10, nil
	}
	got, err := rt.Quorum(context.Background(), tasks, 3, 2, call, func(all []rt.Result[int]) { rest <- all })
	if err != nil || len(got) < 2 {
		t.Fatalf("quorum 2 of 3 with one failure: %v, %v", got, err)
	}
	if all := <-rest; len(all) != 3 {
		t.Fatalf("rest got %d results, want 3", len(all))
	}
	_, err = rt.Quorum(context.Background(), tasks, 3, 3, call, nil)
	var qe *rt.QuorumError
	// It gives up at the first failure, so Got is whatever succeeded before.
	if !errors.As(err, &qe) || qe.Need != 3 || qe.Got > 2 {
		t.Fatalf("quorum 3 of 3 with one failure: got %v, want a QuorumError needing 3", err)
	}
}
