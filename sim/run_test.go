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

func TestPanicBecomesFailureWithReplayHint(t *testing.T) {
	w, env := oneNode(t)
	env.Tasks.Spawn("doomed", func(ctx context.Context) {
		_ = env.Clock.Sleep(ctx, 3*time.Second)
		panic("invariant broken")
	})
	err := w.Run()
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("Run = %v, want a *Failure", err)
	}
	if f.Task != "n1/doomed" || f.VTime != 3*time.Second || f.Seed != 9 || f.Panic != "invariant broken" {
		t.Errorf("failure = %+v", f)
	}
	want := "replay: go run ./cmd/garage-sim run --scenario unit --seed 9"
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error does not end with %q:\n%s", want, err)
	}
}

func TestMaxSteps(t *testing.T) {
	w := New(Config{Seed: 1, MaxSteps: 100})
	defer w.Close()
	w.Go("spinner", func(ctx context.Context) {
		for {
			_ = w.Sleep(ctx, 0)
		}
	})
	err := w.Run()
	if err == nil || !strings.Contains(err.Error(), "step limit") || w.Steps() != 100 {
		t.Errorf("Run = %v after %d steps, want the step limit at 100", err, w.Steps())
	}
}

func TestRunForAndRunUntil(t *testing.T) {
	w, env := oneNode(t)
	ticks := 0
	env.Tasks.Spawn("ticker", func(ctx context.Context) {
		for env.Clock.Sleep(ctx, 100*time.Millisecond) == nil {
			ticks++
		}
	})
	must(t, w.RunFor(time.Second))
	if ticks != 10 || w.Now() != time.Second {
		t.Errorf("after RunFor(1s): %d ticks at %v, want 10 at 1s", ticks, w.Now())
	}
	must(t, w.RunUntil(func() bool { return ticks >= 15 }, time.Minute))
	if ticks != 15 || w.Now() != 1500*time.Millisecond {
		t.Errorf("after RunUntil: %d ticks at %v", ticks, w.Now())
	}
	if err := w.RunUntil(func() bool { return false }, time.Second); err == nil {
		t.Error("RunUntil of an impossible condition succeeded")
	}
}

func TestClockSkew(t *testing.T) {
	w, env := oneNode(t)
	c := w.Clock("n1")
	c.SetOffset(-time.Second)
	c.SetDrift(1000) // 1 ms per second fast
	must(t, w.RunFor(10*time.Second))
	c.Step(5 * time.Millisecond)
	want := Epoch().Add(10*time.Second - time.Second + 10*time.Millisecond + 5*time.Millisecond)
	if got := env.Clock.Now(); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	if got := env.Clock.Mono(); got != 10*time.Second {
		t.Errorf("Mono = %v, want the unskewed 10s", got)
	}
}

func TestFaultsFireByCountAndProbability(t *testing.T) {
	w, env := oneNode(t)
	boom := errors.New("boom")
	w.Arm("n1", "once", FaultSpec{Count: 2, Value: boom})
	w.Arm("", "half", FaultSpec{Prob: 0.5})
	var once, half int
	for range 1000 {
		if errors.Is(rt.Fail(env.Faults, "once"), boom) {
			once++
		}
		if rt.Fail(env.Faults, "half") != nil {
			half++
		}
	}
	if once != 2 || half < 400 || half > 600 || w.FaultHits("n1", "half") != half {
		t.Errorf("fired once=%d (want 2), half=%d (want ~500)", once, half)
	}
	if rt.Fail(env.Faults, "unarmed") != nil {
		t.Error("unarmed point fired")
	}
	w.Disarm("", "half")
	got := fmt.Sprint(w.FaultReport())
	want := fmt.Sprint([]FaultStat{{Name: "half", Armings: 1, Hits: half}, {Name: "once", Armings: 1, Hits: 2}})
	if got != want {
		t.Errorf("FaultReport = %s, want %s (disarmed points stay in the report)", got, want)
	}
}

func TestRandStreamsAreIndependent(t *testing.T) {
	a, b := New(Config{Seed: 1}), New(Config{Seed: 1})
	defer a.Close()
	defer b.Close()
	b.AddNode("extra", "z", func(rt.Env) {}) // a node's stream must not shift others
	for _, s := range []string{"workload", "scheduler"} {
		if x, y := a.Rand(s).Uint64(), b.Rand(s).Uint64(); x != y {
			t.Errorf("stream %s differs: %x vs %x", s, x, y)
		}
	}
	if a.Rand("x").Uint64() == a.Rand("y").Uint64() {
		t.Error("distinct streams start alike")
	}
}

func TestBlockedAndTrace(t *testing.T) {
	var trace strings.Builder
	w := New(Config{Seed: 1, Trace: &trace})
	defer w.Close()
	w.AddNode("n1", "z1", func(env rt.Env) {
		env.Tasks.Spawn("stuck", func(ctx context.Context) { _ = env.Tasks.NewEvent().Wait(ctx) })
	})
	w.Go("done", func(context.Context) {})
	must(t, w.Run())
	if got := strings.Join(w.Blocked(), ","); got != "n1/stuck" {
		t.Errorf("Blocked = %q, want n1/stuck", got)
	}
	if lines := strings.Count(trace.String(), "\n"); uint64(lines) != w.Steps() {
		t.Errorf("trace has %d lines for %d steps:\n%s", lines, w.Steps(), trace.String())
	}
	if !strings.Contains(trace.String(), "n1/stuck #") {
		t.Errorf("trace does not name the stuck task:\n%s", trace.String())
	}
}
