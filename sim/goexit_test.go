package sim

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestGoexitEndsOnlyTheTask checks that a task calling runtime.Goexit (as
// t.FailNow does) ends that task alone: the run and the other tasks go on.
func TestGoexitEndsOnlyTheTask(t *testing.T) {
	w := New(Config{Seed: 3})
	defer w.Close()
	deferred, after := false, false
	w.Go("quitter", func(ctx context.Context) {
		defer func() { deferred = true }()
		_ = w.Sleep(ctx, time.Millisecond)
		runtime.Goexit()
	})
	w.Go("survivor", func(ctx context.Context) {
		_ = w.Sleep(ctx, time.Second)
		after = true
	})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got, want := [2]bool{deferred, after}, [2]bool{true, true}; got != want {
		t.Errorf("deferred, survivor finished = %v, want %v", got, want)
	}
}
