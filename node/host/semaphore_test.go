package host

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestSemaphoreOverHostTasks checks rt.Semaphore on goroutines: FIFO
// hand-off, TryAcquire, and a cancelled waiter leaving the queue.
func TestSemaphoreOverHostTasks(t *testing.T) {
	tasks := NewTasks(context.Background())
	defer tasks.Stop()
	s := rt.NewSemaphore(tasks, 2)
	if !s.TryAcquire() || !s.TryAcquire() || s.TryAcquire() {
		t.Fatal("TryAcquire on 2 slots: want true, true, false")
	}
	order := make(chan int, 3)
	cctx, cancel := context.WithCancel(context.Background())
	for i := range 3 {
		ctx := context.Background()
		if i == 1 {
			ctx = cctx
		}
		tasks.Spawn("waiter", func(context.Context) {
			if err := s.Acquire(ctx); err != nil {
				order <- -i - 1
				return
			}
			order <- i
		})
		eventually(t, "waiter queued", func() bool { return s.Waiting() == i+1 })
	}
	cancel()
	if got := <-order; got != -2 {
		t.Fatalf("first outcome %d, want the cancelled waiter 1 (-2)", got)
	}
	for _, want := range []int{0, 2} {
		s.Release()
		if got := <-order; got != want {
			t.Fatalf("slot went to waiter %d, want %d", got, want)
		}
	}
	s.Release()
	s.Release()
	if !s.TryAcquire() || !s.TryAcquire() || s.TryAcquire() {
		t.Fatal("after all releases: want 2 free slots")
	}
	done, stop := context.WithTimeout(context.Background(), time.Millisecond)
	defer stop()
	if err := s.Acquire(done); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire with no slot and a deadline: %v", err)
	}
}
