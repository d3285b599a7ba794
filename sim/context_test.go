package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

type ctxKey struct{}

// oneNode returns a world with a single idle node n1.
func oneNode(t *testing.T) (*World, rt.Env) {
	w := New(Config{Seed: 9, Scenario: "unit"})
	t.Cleanup(w.Close)
	w.AddNode("n1", "z1", func(rt.Env) {})
	return w, w.Env("n1")
}

func TestTimeoutWakesWaiterAtVirtualDeadline(t *testing.T) {
	w, env := oneNode(t)
	var err error
	var at time.Duration
	w.Go("waiter", func(ctx context.Context) {
		ctx, cancel := env.Tasks.WithTimeout(context.WithValue(ctx, ctxKey{}, 1), 250*time.Millisecond)
		defer cancel()
		err = env.Tasks.NewEvent().Wait(context.WithValue(ctx, ctxKey{}, 2))
		at = w.Now()
	})
	must(t, w.Run())
	if !errors.Is(err, context.DeadlineExceeded) || at != 250*time.Millisecond {
		t.Errorf("Wait returned %v at %v; want DeadlineExceeded at 250ms", err, at)
	}
}

func TestCancelPropagatesToDescendants(t *testing.T) {
	_, env := oneNode(t)
	parent, cancel := env.Tasks.WithCancel(context.Background())
	child, _ := env.Tasks.WithTimeout(context.WithValue(parent, ctxKey{}, 1), time.Hour)
	std, stdCancel := context.WithCancel(child) // stdlib child: propagates through AfterFunc
	defer stdCancel()
	cancel()
	for name, c := range map[string]context.Context{"sim child": child, "stdlib child": std} {
		if !errors.Is(c.Err(), context.Canceled) {
			t.Errorf("%s: Err = %v after parent cancel, want Canceled", name, c.Err())
		}
		select {
		case <-c.Done():
		default:
			t.Errorf("%s: Done not closed", name)
		}
	}
}

func TestForeignContextPanicsWhenBlocking(t *testing.T) {
	w, env := oneNode(t)
	w.Go("bad", func(ctx context.Context) {
		std, cancel := context.WithCancel(ctx)
		defer cancel()
		_ = env.Clock.Sleep(std, time.Second)
	})
	err := w.Run()
	if err == nil || !strings.Contains(err.Error(), "context the simulator does not control") {
		t.Errorf("Run = %v, want a foreign-context failure", err)
	}
}

func TestEventWakesAllWaiters(t *testing.T) {
	w, env := oneNode(t)
	ev := env.Tasks.NewEvent()
	woke := 0
	for range 3 {
		w.Go("waiter", func(ctx context.Context) {
			if ev.Wait(ctx) == nil {
				woke++
			}
		})
	}
	w.At(time.Second, "setter", ev.Set)
	must(t, w.Run())
	if woke != 3 || w.Now() != time.Second {
		t.Errorf("woke %d waiters at %v, want 3 at 1s", woke, w.Now())
	}
}

// TestMutexHandsOffInOrder holds a mutex from outside the run (a task
// never can across a blocking point), so that tasks queue on it.
func TestMutexHandsOffInOrder(t *testing.T) {
	w, env := oneNode(t)
	mu := env.Tasks.NewMutex()
	mu.Lock()
	var order []int
	for i := range 3 {
		w.Go("locker", func(ctx context.Context) {
			_ = w.Sleep(ctx, time.Duration(i)*time.Millisecond)
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		})
	}
	must(t, w.Run())
	if len(order) != 0 {
		t.Fatalf("lockers got a held mutex: %v", order)
	}
	mu.Unlock()
	must(t, w.Run())
	if fmt.Sprint(order) != "[0 1 2]" {
		t.Errorf("lockers ran %v, want FIFO [0 1 2]", order)
	}
}

func TestMutexHeldAcrossBlockingPointFails(t *testing.T) {
	w := New(Config{Seed: 9, MutexSites: true})
	defer w.Close()
	w.AddNode("n1", "z1", func(rt.Env) {})
	env := w.Env("n1")
	w.Go("sloppy", func(ctx context.Context) {
		mu := env.Tasks.NewMutex()
		mu.Lock()
		_ = env.Clock.Sleep(ctx, time.Millisecond)
		mu.Unlock()
	})
	err := w.Run()
	if err == nil || !strings.Contains(err.Error(), "holding an rt.Mutex locked at") ||
		!strings.Contains(err.Error(), "context_test.go") {
		t.Fatalf("Run = %v, want the mutex rule naming the Lock site", err)
	}
}

func TestFutureAndQuorumRunInSim(t *testing.T) {
	w, env := oneNode(t)
	var got []rt.Result[int]
	var qerr error
	w.Go("quorum", func(ctx context.Context) {
		got, qerr = rt.Quorum(ctx, env.Tasks, 3, 2, func(ctx context.Context, i int) (int, error) {
			return i, env.Clock.Sleep(ctx, time.Duration(i+1)*time.Second)
		}, nil)
	})
	must(t, w.Run())
	if qerr != nil || len(got) < 2 {
		t.Errorf("Quorum = %v, %v", got, qerr)
	}
}
