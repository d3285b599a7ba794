package rttest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestTasks runs the rt.Tasks conformance suite (tasks, events, mutexes,
// contexts, and the helpers built on them: futures, quorums, semaphores)
// on clusters made by newCluster.
func TestTasks(t *testing.T, newCluster NewCluster) {
	runCases(t, newCluster, []worldCase{
		{"SpawnRuns", 1, tasksSpawn},
		{"EventSetWait", 1, tasksEvent},
		{"EventWaitContextEnds", 1, tasksEventContext},
		{"MutexExcludes", 1, tasksMutex},
		{"WithTimeoutFires", 1, tasksWithTimeout},
		{"WithCancel", 1, tasksWithCancel},
		{"FutureAndQuorum", 1, tasksFuture},
		{"QuorumFirst", 1, tasksQuorumFirst},
		{"SemaphoreTryAcquire", 1, semTry},
		{"SemaphoreBoundsHolders", 1, semBound},
		{"SemaphoreFIFO", 1, semFIFO},
		{"SemaphoreCancelledWaiter", 1, semCancel},
	})
}

// within returns a context of ctx bounded by long: a case waiting on
// something that never comes fails instead of hanging.
func within(env rt.Env, ctx context.Context) (context.Context, context.CancelFunc) {
	return env.Tasks.WithTimeout(ctx, long)
}

func tasksSpawn(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	ran := env.Tasks.NewEvent()
	var seen error = errors.New("not run")
	env.Tasks.Spawn("child", func(tctx context.Context) {
		seen = tctx.Err()
		ran.Set()
	})
	wctx, cancel := within(env, ctx)
	defer cancel()
	if err := ran.Wait(wctx); err != nil || seen != nil {
		t.Errorf("spawned task: wait %v, its context's Err %v; want nil, nil", err, seen)
	}
}

func tasksEvent(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	e := env.Tasks.NewEvent()
	if e.IsSet() {
		t.Errorf("a new event is set")
	}
	const waiters = 8
	woken := newCounter(env.Tasks)
	all := env.Tasks.NewEvent()
	for range waiters {
		env.Tasks.Spawn("waiter", func(tctx context.Context) {
			if e.Wait(tctx) == nil && woken.add(1) == waiters {
				all.Set()
			}
		})
	}
	e.Set()
	e.Set() // a second Set is harmless
	wctx, cancel := within(env, ctx)
	defer cancel()
	if err := all.Wait(wctx); err != nil || !e.IsSet() {
		t.Errorf("after Set: %d of %d waiters woke (%v), IsSet %v", woken.get(), waiters, err, e.IsSet())
	}
}

func tasksEventContext(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	e := env.Tasks.NewEvent()
	done, cancel := env.Tasks.WithCancel(ctx)
	cancel()
	if err := e.Wait(done); !errors.Is(err, context.Canceled) {
		t.Errorf("wait on an unset event with a cancelled context: %v, want Canceled", err)
	}
	dctx, stop := env.Tasks.WithTimeout(ctx, 10*time.Millisecond)
	defer stop()
	if err := e.Wait(dctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait on an unset event until a deadline: %v, want DeadlineExceeded", err)
	}
	e.Set()
	if err := e.Wait(done); err != nil {
		t.Errorf("wait on a set event with a cancelled context: %v, want nil (set wins)", err)
	}
}

// tasksMutex checks that no two tasks are ever inside the mutex at once
// and that no increment is lost, with tasks yielding between sections.
func tasksMutex(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	mu := env.Tasks.NewMutex()
	const workers, rounds = 8, 200
	inside, count, overlaps := 0, 0, 0
	finished := newCounter(env.Tasks)
	all := env.Tasks.NewEvent()
	for range workers {
		env.Tasks.Spawn("worker", func(tctx context.Context) {
			for i := range rounds {
				mu.Lock()
				inside++
				overlaps += inside - 1
				count++
				inside--
				mu.Unlock()
				if i%50 == 0 {
					_ = env.Clock.Sleep(tctx, time.Microsecond)
				}
			}
			if finished.add(1) == workers {
				all.Set()
			}
		})
	}
	wctx, cancel := within(env, ctx)
	defer cancel()
	err := all.Wait(wctx)
	mu.Lock()
	defer mu.Unlock()
	if err != nil || count != workers*rounds || overlaps != 0 {
		t.Errorf("mutex: count %d of %d, %d overlapping sections (%v)", count, workers*rounds, overlaps, err)
	}
}

func tasksWithTimeout(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	start := env.Clock.Mono()
	tctx, cancel := env.Tasks.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if tctx.Err() != nil {
		t.Errorf("fresh WithTimeout context: Err %v, want nil", tctx.Err())
	}
	if err := env.Tasks.NewEvent().Wait(tctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait under WithTimeout(30ms): %v, want DeadlineExceeded", err)
	}
	if waited := env.Clock.Mono() - start; waited < 30*time.Millisecond {
		t.Errorf("WithTimeout(30ms) fired after %v of Mono", waited)
	}
	child, stopChild := env.Tasks.WithCancel(tctx)
	defer stopChild()
	if !errors.Is(child.Err(), context.DeadlineExceeded) || !errors.Is(tctx.Err(), context.DeadlineExceeded) {
		t.Errorf("after the deadline: Err %v, child's %v; want DeadlineExceeded", tctx.Err(), child.Err())
	}
	early, stop := env.Tasks.WithTimeout(ctx, 20*time.Millisecond)
	stop()
	_ = env.Clock.Sleep(ctx, 30*time.Millisecond)
	if !errors.Is(early.Err(), context.Canceled) {
		t.Errorf("WithTimeout cancelled before its deadline: Err %v after the deadline, want Canceled", early.Err())
	}
}

func tasksWithCancel(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	parent, cancelParent := env.Tasks.WithCancel(ctx)
	child, cancelChild := env.Tasks.WithCancel(parent)
	cancelChild()
	cancelChild()
	if !errors.Is(child.Err(), context.Canceled) || parent.Err() != nil || ctx.Err() != nil {
		t.Errorf("child cancelled: child %v, parent %v, task %v; want Canceled, nil, nil", child.Err(), parent.Err(), ctx.Err())
	}
	other, cancelOther := env.Tasks.WithCancel(parent)
	defer cancelOther()
	env.Tasks.Spawn("canceller", func(tctx context.Context) {
		_ = env.Clock.Sleep(tctx, 5*time.Millisecond)
		cancelParent()
	})
	if err := env.Clock.Sleep(other, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep under a child of a context cancelled by another task: %v, want Canceled", err)
	}
}

func tasksFuture(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	f := rt.Go(env.Tasks, "answer", func(context.Context) (int, error) { return 42, nil })
	if v, err := f.Wait(ctx); v != 42 || err != nil {
		t.Errorf("future: %d, %v; want 42, nil", v, err)
	}
	if f.Resolve(1, nil) {
		t.Errorf("a second Resolve reported first")
	}
	call := func(cctx context.Context, i int) (int, error) {
		if i == 1 {
			return 0, errors.New("down")
		}
		return i, env.Clock.Sleep(cctx, time.Duration(i)*time.Millisecond)
	}
	got, err := rt.Quorum(ctx, env.Tasks, 3, 2, call, nil)
	if err != nil || len(got) < 2 {
		t.Errorf("quorum 2 of 3 with one failure: %v, %v", got, err)
	}
	var qe *rt.QuorumError
	if _, err := rt.Quorum(ctx, env.Tasks, 3, 3, call, nil); !errors.As(err, &qe) || qe.Need != 3 {
		t.Errorf("quorum 3 of 3 with one failure: %v, want a QuorumError needing 3", err)
	}
}

// tasksQuorumFirst checks rt.QuorumFirst with calls answering from tasks
// of their own (goroutines in the real world): a failure starts the next
// call, a silent call is covered by the hedge, and rest receives every
// call started, once each.
func tasksQuorumFirst(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	ctx, cancel := within(env, ctx)
	defer cancel()
	mu := env.Tasks.NewMutex()
	var started []int
	restDone := env.Tasks.NewEvent()
	var rest int
	release := env.Tasks.NewEvent() // ends the silent call
	// call 0 fails, call 1 stays silent until released, calls 2 and 3
	// succeed after 1 ms: the quorum (2 of 4) needs the failure's
	// replacement (2) and the hedge's (3).
	got, err := rt.QuorumFirst(ctx, env.Tasks, 4, 2, 20*time.Millisecond,
		func(i int, done func(int, error)) {
			mu.Lock()
			started = append(started, i)
			mu.Unlock()
			env.Tasks.Spawn("call", func(cctx context.Context) {
				switch i {
				case 0:
					done(0, errors.New("down"))
				case 1:
					_ = release.Wait(cctx)
					done(1, nil)
				default:
					done(i, env.Clock.Sleep(cctx, time.Millisecond))
				}
			})
		},
		func(all []rt.Result[int]) {
			mu.Lock()
			rest += len(all)
			mu.Unlock()
			restDone.Set()
		})
	if err != nil || len(got) < 3 {
		t.Errorf("QuorumFirst = %v, %v; want 2 successes and the failure", got, err)
	}
	release.Set()
	if err := restDone.Wait(ctx); err != nil {
		t.Fatalf("rest never ran: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(started) != 4 || rest != 4 {
		t.Errorf("started %v, rest received %d; want all 4 started and 4 results", started, rest)
	}
}
