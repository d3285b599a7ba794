package block

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

func TestBudgetFIFO(t *testing.T) {
	w := sim.New(sim.Config{Seed: 1})
	defer w.Close()
	var order []string
	w.AddNode("n1", "z", func(env rt.Env) {
		b := newBudget(env.Tasks, 100)
		take := func(name string, n int64, delay, hold time.Duration) {
			env.Tasks.Spawn(name, func(ctx context.Context) {
				_ = env.Clock.Sleep(ctx, delay)
				got, err := b.acquire(ctx, n)
				if err != nil {
					t.Error(err)
					return
				}
				order = append(order, name)
				_ = env.Clock.Sleep(ctx, hold)
				b.release(got)
			})
		}
		take("a", 60, 0, time.Second)
		take("b", 60, time.Millisecond, time.Second)   // waits for a
		take("c", 30, 2*time.Millisecond, time.Second) // fits beside a, but b came first
		take("big", 500, 3*time.Millisecond, 0)        // clamped to the whole budget
	})
	if err := w.RunFor(time.Minute); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "big"}; !slices.Equal(order, want) {
		t.Errorf("grant order %v, want %v", order, want)
	}
}

func TestPutBackpressure(t *testing.T) {
	const size = 40_000
	h := newHarness(t, 20, 3, func(c *Config) { c.RAMBufferMax = 2 * size })
	h.start(3)
	h.w.Crash("n3") // its writes hang until WriteTimeout, holding the buffer
	var took []time.Duration
	for i := range 4 {
		start := h.w.Now()
		h.put("n1", randomData(i, size))
		took = append(took, h.w.Now()-start)
	}
	// The first two fit; each later one waits for an earlier one's write
	// to n3 to time out.
	if took[0] >= time.Second || took[1] >= time.Second || took[2] < h.cfg.WriteTimeout/2 {
		t.Errorf("put durations %v: want the third to wait about WriteTimeout (%v)", took, h.cfg.WriteTimeout)
	}
	h.run(2 * h.cfg.WriteTimeout)
	if used, waiting := h.ms["n1"].buf.inUse(); used != 0 || waiting != 0 {
		t.Errorf("buffer %d bytes held, %d waiting after every write ended", used, waiting)
	}
	t.Logf("put durations with a full buffer: %v", slices.Clone(took))
}
