package sim

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// startOutcome is what a started call reported, and when.
type startOutcome struct {
	rep    []byte
	err    error
	calls  int
	took   time.Duration
	inTask bool // done ran inside a task
}

// startFrom starts a call from node a at the current virtual time and
// records its outcome into o.
func startFrom(w *World, to rt.NodeID, endpoint string, timeout time.Duration, o *startOutcome) {
	start := w.Now()
	s := w.Env("a").Net.(rt.Starter)
	s.Start(to, endpoint, []byte("hi"), rt.CallOpts{Timeout: timeout}, func(rep []byte, err error) {
		o.rep, o.err, o.took, o.inTask = rep, err, w.Now()-start, w.cur != nil
		o.calls++
	})
}

func TestStartOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		to       rt.NodeID
		endpoint string
		timeout  time.Duration
		want     string
		wantErr  error
		took     time.Duration
		inTask   bool
	}{
		{"echo", "b", "echo", 0, "a:hi", nil, 2 * time.Millisecond, false},
		{"self call runs in a task", "a", "echo", 0, "a:hi", nil, 0, true},
		{"handler error", "b", "fail", 0, "", &rt.RemoteError{Endpoint: "fail", Msg: "boom"}, 2 * time.Millisecond, false},
		{"no handler", "b", "nope", 0, "", rt.ErrNoHandler, 2 * time.Millisecond, false},
		{"timeout", "b", "slow", 100 * time.Millisecond, "", rt.ErrTimeout, 100 * time.Millisecond, false},
		{"crashed peer times out", "c", "echo", 0, "", rt.ErrTimeout, time.Second, false},
		{"unknown peer at once", "zz", "echo", 0, "", rt.ErrUnreachable, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := echoWorld(t)
			var o startOutcome
			w.Go("client", func(context.Context) { startFrom(w, tc.to, tc.endpoint, tc.timeout, &o) })
			must(t, w.Run())
			if o.calls != 1 || string(o.rep) != tc.want || !sameErr(o.err, tc.wantErr) || o.took != tc.took || o.inTask != tc.inTask {
				t.Errorf("got %d calls, %q, %v after %v (in task %v); want 1, %q, %v after %v (in task %v)",
					o.calls, o.rep, o.err, o.took, o.inTask, tc.want, tc.wantErr, tc.took, tc.inTask)
			}
		})
	}
}

// TestStartCallerCrash checks that a started call of a node that crashes
// ends at once with ErrUnreachable, even if the reply would come later.
func TestStartCallerCrash(t *testing.T) {
	w := echoWorld(t)
	var o startOutcome
	w.Go("client", func(context.Context) { startFrom(w, "b", "slow", 0, &o) })
	w.At(w.Now()+10*time.Millisecond, "crash", func() { w.Crash("a") })
	must(t, w.Run())
	if o.calls != 1 || !sameErr(o.err, rt.ErrUnreachable) || o.took != 10*time.Millisecond {
		t.Errorf("got %d calls, %v after %v; want 1, %v after 10ms", o.calls, o.err, o.took, rt.ErrUnreachable)
	}
}

// TestStartRecyclesCalls checks that started calls that completed normally
// are reused: a long series of them leaves the pool bounded.
func TestStartRecyclesCalls(t *testing.T) {
	w := echoWorld(t)
	var o startOutcome
	w.Go("client", func(ctx context.Context) {
		for range 100 {
			startFrom(w, "b", "echo", 0, &o)
			if err := w.Env("a").Clock.Sleep(ctx, 10*time.Millisecond); err != nil {
				return
			}
		}
	})
	must(t, w.Run())
	if o.calls != 100 || len(w.freeCalls) != 1 {
		t.Errorf("got %d calls and %d free calls; want 100 and 1", o.calls, len(w.freeCalls))
	}
}

// TestStartSelfInline checks where a started call to the node itself runs:
// inline in a task of the node, unless that task holds an rt.Mutex.
func TestStartSelfInline(t *testing.T) {
	for _, locked := range []bool{false, true} {
		w := echoWorld(t)
		env := w.Env("a")
		var before bool // done ran before Start returned
		var o startOutcome
		env.Tasks.Spawn("client", func(context.Context) {
			mu := env.Tasks.NewMutex()
			if locked {
				mu.Lock()
				defer mu.Unlock()
			}
			startFrom(w, "a", "echo", 0, &o)
			before = o.calls == 1
		})
		must(t, w.Run())
		if o.calls != 1 || string(o.rep) != "a:hi" || before == locked {
			t.Errorf("locked %v: got %d calls, %q, inline %v; want 1, %q, inline %v",
				locked, o.calls, o.rep, before, "a:hi", !locked)
		}
	}
}
