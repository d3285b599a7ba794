package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// ticker boots a node whose task records the virtual time of every tick,
// one every period.
func ticker(w *World, id rt.NodeID, period time.Duration, ticks *[]time.Duration) {
	w.AddNode(id, "z1", func(env rt.Env) {
		env.Tasks.Spawn("tick", func(ctx context.Context) {
			for env.Clock.Sleep(ctx, period) == nil {
				*ticks = append(*ticks, w.Now())
			}
		})
	})
}

// countIn counts the times in [from, to).
func countIn(ts []time.Duration, from, to time.Duration) int {
	n := 0
	for _, x := range ts {
		if x >= from && x < to {
			n++
		}
	}
	return n
}

func TestPausedPeriodicTaskStopsAndResumes(t *testing.T) {
	w := New(Config{Seed: 1})
	defer w.Close()
	var ticks []time.Duration
	ticker(w, "n1", 100*time.Millisecond, &ticks)
	must(t, w.RunFor(time.Second))
	w.Pause("n1")
	if !w.Paused("n1") {
		t.Fatal("Paused after Pause = false")
	}
	must(t, w.RunFor(time.Second))
	w.Resume("n1")
	must(t, w.RunFor(time.Second))
	tests := []struct {
		name     string
		from, to time.Duration
		want     int
	}{
		{"before", 0, time.Second + 1, 10},
		{"paused", time.Second + 1, 2 * time.Second, 0},
		{"at resume", 2 * time.Second, 2*time.Second + 1, 1},
		{"after", 2*time.Second + 1, 3*time.Second + 1, 10},
	}
	for _, tc := range tests {
		if got := countIn(ticks, tc.from, tc.to); got != tc.want {
			t.Errorf("%s: %d ticks, want %d (ticks %v)", tc.name, got, tc.want, ticks)
		}
	}
}

func TestTimerDueDuringPauseFiresAtResume(t *testing.T) {
	w := New(Config{Seed: 1})
	defer w.Close()
	var woke time.Duration
	var wall time.Time
	w.AddNode("n1", "z1", func(env rt.Env) {
		env.Tasks.Spawn("sleeper", func(ctx context.Context) {
			_ = env.Clock.Sleep(ctx, 300*time.Millisecond)
			woke, wall = w.Now(), env.Clock.Now()
		})
	})
	must(t, w.RunFor(100*time.Millisecond))
	w.Pause("n1")
	must(t, w.RunFor(time.Second))
	if woke != 0 {
		t.Fatalf("sleeper ran at %v while paused", woke)
	}
	w.Resume("n1")
	must(t, w.Run())
	if want := 1100 * time.Millisecond; woke != want {
		t.Errorf("sleeper woke at %v, want %v (resume time)", woke, want)
	}
	if want := Epoch().Add(1100 * time.Millisecond); !wall.Equal(want) {
		t.Errorf("wall clock after resume = %v, want %v (it keeps running while paused)", wall, want)
	}
}

// callB has world task "caller" call b's echo every 100 ms with a 50 ms
// timeout and record each outcome with its start time.
func callB(w *World, until time.Duration, out *[]string) {
	env := w.Env("a")
	w.Go("caller", func(ctx context.Context) {
		for w.Now() < until {
			at := w.Now()
			_, err := env.Net.Call(ctx, "b", "echo", []byte("x"), rt.CallOpts{Timeout: 50 * time.Millisecond})
			*out = append(*out, fmt.Sprintf("%v:%v", at, err))
			_ = w.Sleep(ctx, 100*time.Millisecond-(w.Now()-at))
		}
	})
}

func TestCallsToPausedNodeTimeOutThenSucceed(t *testing.T) {
	w := echoWorld(t)
	w.At(200*time.Millisecond, "pause", func() { w.Pause("b") })
	w.At(400*time.Millisecond, "resume", func() { w.Resume("b") })
	var got []string
	callB(w, 600*time.Millisecond, &got)
	must(t, w.Run())
	want := []string{"0s:<nil>", "100ms:<nil>", "200ms:" + rt.ErrTimeout.Error(),
		"300ms:" + rt.ErrTimeout.Error(), "400ms:<nil>", "500ms:<nil>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("outcomes\n got %v\nwant %v", got, want)
	}
}

func TestStartedCallOfPausedNodeEndsAfterResume(t *testing.T) {
	w := echoWorld(t)
	var at time.Duration
	var err error
	w.At(0, "start", func() {
		w.Env("a").Net.(rt.Starter).Start("b", "echo", nil, rt.CallOpts{}, func(_ []byte, e error) {
			at, err = w.Now(), e
		})
		w.Pause("a")
	})
	w.At(time.Second, "resume", func() { w.Resume("a") })
	must(t, w.Run())
	if at != time.Second || err != nil {
		t.Errorf("callback ran at %v with %v, want at 1s (resume) with nil", at, err)
	}
}

func TestCrashWhilePausedUnwindsAndRestartsUnpaused(t *testing.T) {
	w := New(Config{Seed: 1})
	defer w.Close()
	var ticks []time.Duration
	unwound := 0
	w.AddNode("n1", "z1", func(env rt.Env) {
		env.Tasks.Spawn("tick", func(ctx context.Context) {
			defer func() { unwound++ }()
			for env.Clock.Sleep(ctx, 100*time.Millisecond) == nil {
				ticks = append(ticks, w.Now())
			}
		})
	})
	must(t, w.RunFor(250*time.Millisecond))
	w.Pause("n1")
	must(t, w.RunFor(time.Second))
	w.Crash("n1")
	must(t, w.RunFor(0))
	if unwound != 1 || w.Paused("n1") || len(w.Blocked()) != 0 {
		t.Fatalf("after crash: unwound %d, paused %v, blocked %v", unwound, w.Paused("n1"), w.Blocked())
	}
	w.Restart("n1")
	must(t, w.RunFor(time.Second))
	if got := countIn(ticks, 1250*time.Millisecond, 2250*time.Millisecond+1); got != 10 || w.Paused("n1") {
		t.Errorf("after restart: %d ticks, paused %v; want 10 ticks, unpaused", got, w.Paused("n1"))
	}
}

func TestRunEndsWithANodePausedForever(t *testing.T) {
	w := echoWorld(t)
	var err error
	unwound, ticks := false, 0
	w.Env("b").Tasks.Spawn("tick", func(ctx context.Context) {
		defer func() { unwound = true }()
		for ticks < 1000 && w.Env("b").Clock.Sleep(ctx, 10*time.Millisecond) == nil {
			ticks++ // bounded, so that a pause that does not hold fails instead of hanging
		}
	})
	must(t, w.RunFor(15*time.Millisecond)) // tick is started, asleep
	w.Go("caller", func(ctx context.Context) {
		w.Pause("b")
		_, err = w.Env("a").Net.Call(ctx, "b", "slow", nil, rt.CallOpts{})
	})
	must(t, w.Run())
	if !errors.Is(err, rt.ErrTimeout) || ticks != 1 {
		t.Errorf("call to the paused node: %v, %d ticks; want ErrTimeout, 1 tick (before the pause)", err, ticks)
	}
	if got, want := fmt.Sprint(w.Blocked()), "[b/rpc:slow b/tick]"; got != want {
		t.Errorf("blocked = %s, want %s (the held tasks of b)", got, want)
	}
	w.Close()
	if !unwound {
		t.Error("Close did not unwind the held task")
	}
}

// pausePing is pingPong with n2 paused from 100 to 300 ms and n3 paused
// from 200 ms on.
func pausePing(w *World) {
	pingPong(w, 4, 500*time.Millisecond)
	w.At(100*time.Millisecond, "pause", func() { w.Pause("n2") })
	w.At(200*time.Millisecond, "pause", func() { w.Pause("n3") })
	w.At(300*time.Millisecond, "resume", func() { w.Resume("n2") })
}

func TestPauseRunIsDeterministic(t *testing.T) {
	div, err := Lockstep(3, pausePing)
	if err != nil {
		t.Fatal(err)
	}
	if div != nil {
		t.Errorf("run with pauses diverged: %v", div)
	}
	hash := func() uint64 {
		w := New(Config{Seed: 3})
		defer w.Close()
		pausePing(w)
		must(t, w.Run())
		return w.TraceHash()
	}
	base := New(Config{Seed: 3})
	defer base.Close()
	pingPong(base, 4, 500*time.Millisecond)
	must(t, base.Run())
	if a, b := hash(), hash(); a != b || a == base.TraceHash() {
		t.Errorf("hashes %x, %x (unpaused %x): want equal, and unlike the unpaused run", a, b, base.TraceHash())
	}
}
