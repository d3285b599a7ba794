package rttest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestClock runs the rt.Clock conformance suite on clusters made by
// newCluster.
func TestClock(t *testing.T, newCluster NewCluster) {
	runCases(t, newCluster, []worldCase{
		{"MonoNeverGoesBack", 1, clockMono},
		{"SleepAtLeast", 1, clockSleep},
		{"SleepContextEnds", 1, clockSleepContext},
		{"NowIsWallTime", 1, clockNow},
	})
}

func clockMono(t *testing.T, c *Cluster, ctx context.Context) {
	clock := c.Envs[0].Clock
	prev := clock.Mono()
	for i := range 1000 {
		if i%100 == 0 {
			_ = clock.Sleep(ctx, time.Microsecond)
		}
		now := clock.Mono()
		if now < prev {
			t.Errorf("Mono went back: %v after %v", now, prev)
			return
		}
		prev = now
	}
}

func clockSleep(t *testing.T, c *Cluster, ctx context.Context) {
	clock := c.Envs[0].Clock
	for _, d := range []time.Duration{0, -time.Second} {
		if err := clock.Sleep(ctx, d); err != nil {
			t.Errorf("Sleep(%v): %v, want nil", d, err)
		}
	}
	for _, d := range []time.Duration{time.Millisecond, 50 * time.Millisecond} {
		start := clock.Mono()
		if err := clock.Sleep(ctx, d); err != nil {
			t.Errorf("Sleep(%v): %v", d, err)
		}
		if slept := clock.Mono() - start; slept < d {
			t.Errorf("Sleep(%v) returned after %v of Mono", d, slept)
		}
	}
}

func clockSleepContext(t *testing.T, c *Cluster, ctx context.Context) {
	env := c.Envs[0]
	done, cancel := env.Tasks.WithCancel(ctx)
	cancel()
	for _, d := range []time.Duration{0, time.Hour} {
		if err := env.Clock.Sleep(done, d); !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep(%v) with a cancelled context: %v, want Canceled", d, err)
		}
	}
	cctx, cancel := env.Tasks.WithCancel(ctx)
	env.Tasks.Spawn("canceller", func(tctx context.Context) {
		_ = env.Clock.Sleep(tctx, 5*time.Millisecond)
		cancel()
	})
	if err := env.Clock.Sleep(cctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(1h) cancelled by another task: %v, want Canceled", err)
	}
	dctx, stop := env.Tasks.WithTimeout(ctx, 10*time.Millisecond)
	defer stop()
	if err := env.Clock.Sleep(dctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sleep(1h) under a 10ms deadline: %v, want DeadlineExceeded", err)
	}
}

// clockNow checks only that Now is a plausible wall clock: it may be
// skewed (simulator) or stepped (host), so it is not compared with Mono.
func clockNow(t *testing.T, c *Cluster, _ context.Context) {
	if now := c.Envs[0].Clock.Now(); now.Year() < 2020 || now.Year() > 2200 {
		t.Errorf("Now = %v, not a plausible wall-clock time", now)
	}
}
