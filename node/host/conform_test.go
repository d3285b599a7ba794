package host

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// The semantics of the ports shared with the simulator are checked by the
// rttest world suites (world_test.go); these tests cover what is proper to
// the real driver.

// TestClockIsSystemClock checks that Now is the system's wall clock.
func TestClockIsSystemClock(t *testing.T) {
	if d := NewClock().Now().Sub(time.Now()).Abs(); d > time.Minute {
		t.Fatalf("Now is %v off the system clock", d)
	}
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
