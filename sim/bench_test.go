package sim

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// BenchmarkPingPong reports scheduling steps per wall second and simulated
// seconds per wall second for the determinism scenario (5 nodes, 10
// pingers, ~1 ms links).
func BenchmarkPingPong(b *testing.B) {
	var steps uint64
	var virtual time.Duration
	cpu0, mallocs0 := cpuTime(), mallocs()
	for i := range b.N {
		w := New(Config{Seed: uint64(i)})
		pingPong(w, 5, 2*time.Second)
		if err := w.Run(); err != nil {
			b.Fatal(err)
		}
		steps += w.Steps()
		virtual += w.Now()
		w.Close()
	}
	report(b, steps, virtual, cpuTime()-cpu0, mallocs()-mallocs0)
}

// BenchmarkGarage5Load is 5 nodes over Garage5 (100 ms RTT ± 20 ms) with
// open-loop clients issuing 100 requests per second in total, each fanned
// out to 3 replicas, for 10 simulated seconds.
func BenchmarkGarage5Load(b *testing.B) {
	var steps uint64
	var virtual time.Duration
	cpu0, mallocs0 := cpuTime(), mallocs()
	for i := range b.N {
		w := New(Config{Seed: uint64(i), Net: netem.Garage5()})
		garage5Load(w, 10*time.Second)
		if err := w.Run(); err != nil {
			b.Fatal(err)
		}
		steps += w.Steps()
		virtual += w.Now()
		w.Close()
	}
	report(b, steps, virtual, cpuTime()-cpu0, mallocs()-mallocs0)
}

func garage5Load(w *World, dur time.Duration) {
	ids := []rt.NodeID{"n1", "n2", "n3", "n4", "n5"}
	for _, id := range ids {
		w.AddNode(id, string(id), func(env rt.Env) {
			env.Net.Handle("put", func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
				return nil, env.KV.Update(func(tx rt.Tx) error { return tx.Put("t", req[:8], req) })
			})
		})
	}
	r := w.Rand("workload")
	w.Go("clients", func(ctx context.Context) {
		for w.Now() < dur {
			env := w.Env(ids[r.IntN(len(ids))])
			w.Go("op", func(ctx context.Context) { replicatedPut(ctx, env, ids, r.Uint64()) })
			_ = w.Sleep(ctx, 10*time.Millisecond)
		}
	})
}

func replicatedPut(ctx context.Context, env rt.Env, ids []rt.NodeID, key uint64) {
	req := make([]byte, 64)
	for i := range 8 {
		req[i] = byte(key >> (8 * i))
	}
	_, _ = rt.Quorum(ctx, env.Tasks, 3, 2, func(ctx context.Context, i int) (struct{}, error) {
		_, err := env.Net.Call(ctx, ids[(int(key%5)+i)%5], "put", req, rt.CallOpts{Timeout: time.Second})
		return struct{}{}, err
	}, nil)
}

// report prints throughput against wall time and against the process's
// CPU time (user+system), the steadier figure on a shared machine, and
// heap allocations per step.
func report(b *testing.B, steps uint64, virtual, cpu time.Duration, allocs uint64) {
	wall := b.Elapsed().Seconds()
	b.ReportMetric(float64(steps)/wall, "steps/s")
	b.ReportMetric(virtual.Seconds()/wall, "sim-s/wall-s")
	b.ReportMetric(virtual.Seconds()/cpu.Seconds(), "sim-s/cpu-s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(steps), "cpu-ns/step")
	b.ReportMetric(float64(allocs)/float64(steps), "allocs/step")
}

// mallocs returns the number of heap allocations so far.
func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkStep measures the bare cost of a scheduling step: ten tasks
// that only yield.
func BenchmarkStep(b *testing.B) {
	w := New(Config{Seed: 1})
	defer w.Close()
	per := b.N/10 + 1
	for range 10 {
		w.Go("yielder", func(ctx context.Context) {
			for range per {
				_ = w.Sleep(ctx, 0)
			}
		})
	}
	cpu0, mallocs0 := cpuTime(), mallocs()
	b.ResetTimer()
	if err := w.Run(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(w.Steps()), "cpu-ns/step")
	b.ReportMetric(float64(mallocs()-mallocs0)/float64(w.Steps()), "allocs/step")
}
