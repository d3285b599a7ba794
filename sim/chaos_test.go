package sim

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// chaos builds a world that exercises every primitive at once under random
// crashes, restarts, partitions and clock steps: quorums of calls, futures,
// events with timeouts, mutexes, KV and file writes.
func chaos(w *World, nodes int, dur time.Duration) {
	ids := make([]rt.NodeID, nodes)
	for i := range ids {
		ids[i] = rt.NodeID(fmt.Sprintf("n%d", i+1))
	}
	for _, id := range ids {
		w.AddNode(id, "z1", func(env rt.Env) { bootChaos(env, ids) })
	}
	r := w.Rand("nemesis")
	for at := time.Duration(0); at < dur; at += time.Duration(1+r.IntN(200)) * time.Millisecond {
		id := ids[r.IntN(len(ids))]
		switch r.IntN(4) {
		case 0:
			w.At(at, "crash", func() { w.Crash(id) })
		case 1:
			w.At(at, "restart", func() { w.Restart(id) })
		case 2:
			w.At(at, "partition", func() { w.Network().IsolateNode(string(id)) })
		case 3:
			w.At(at, "heal", func() { w.Network().HealAll(); w.Clock(id).Step(-time.Millisecond) })
		}
	}
	w.At(dur, "end", func() { w.Network().HealAll() })
}

func bootChaos(env rt.Env, peers []rt.NodeID) {
	mu := env.Tasks.NewMutex()
	count := 0
	env.Net.Handle("inc", func(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
		mu.Lock()
		count++
		mu.Unlock()
		if err := env.Files.Write(fmt.Sprintf("f/%d", len(req)), req, len(req)%2 == 0); err != nil {
			return nil, err
		}
		return nil, env.Clock.Sleep(ctx, time.Duration(env.Rand.IntN(20))*time.Millisecond)
	})
	env.Tasks.Spawn("driver", func(ctx context.Context) {
		for range 30 {
			chaosRound(ctx, env, peers)
		}
	})
}

func chaosRound(ctx context.Context, env rt.Env, peers []rt.NodeID) {
	wctx, cancel := env.Tasks.WithTimeout(ctx, time.Duration(10+env.Rand.IntN(100))*time.Millisecond)
	defer cancel()
	f := rt.Go(env.Tasks, "side", func(ctx context.Context) (int, error) {
		return 1, env.Clock.Sleep(ctx, time.Duration(env.Rand.IntN(50))*time.Millisecond)
	})
	_, _ = rt.Quorum(wctx, env.Tasks, 3, 2, func(ctx context.Context, i int) (struct{}, error) {
		req := make([]byte, env.Rand.IntN(100))
		to := peers[env.Rand.IntN(len(peers))]
		_, err := env.Net.Call(ctx, to, "inc", req, rt.CallOpts{Timeout: 40 * time.Millisecond})
		return struct{}{}, err
	}, nil)
	_, _ = f.Wait(wctx)
	_ = env.KV.Update(func(tx rt.Tx) error { return tx.Put("t", []byte{byte(env.Rand.IntN(256))}, []byte("x")) })
	if env.Rand.IntN(3) == 0 {
		_ = env.KV.Sync()
	}
}

func chaosRun(t *testing.T, seed uint64) (uint64, uint64) {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), 3*time.Millisecond)
	m.SetJitter(netem.AllLinks(), netem.Uniform{Width: 3 * time.Millisecond})
	m.SetLoss(netem.AllLinks(), 0.05)
	m.SetDup(netem.AllLinks(), 0.05)
	w := New(Config{Seed: seed, Net: m, FsyncLatency: time.Millisecond, MaxSteps: 1e6})
	defer w.Close()
	chaos(w, 5, 2*time.Second)
	if err := w.Run(); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	return w.TraceHash(), w.Steps()
}

// TestChaos checks that random mixes of every primitive and fault neither
// break the engine nor its determinism, nor leak goroutines.
func TestChaos(t *testing.T) {
	base := runtime.NumGoroutine()
	for seed := uint64(1); seed <= 10; seed++ {
		h1, steps := chaosRun(t, seed)
		if h2, _ := chaosRun(t, seed); h1 != h2 {
			t.Errorf("seed %d: hashes differ: %016x, %016x", seed, h1, h2)
		}
		t.Logf("seed %d: %d steps, hash %016x", seed, steps, h1)
		if steps < 1000 {
			t.Errorf("seed %d: only %d steps, scenario too tame", seed, steps)
		}
	}
	if got := settleGoroutines(base); got > base {
		t.Errorf("goroutines: %d after the runs, %d before", got, base)
	}
}
