package checker

import (
	"fmt"
	"testing"
)

// Benchmarks report checked operations per second (ops/s) on simulated
// histories of an atomic store with 10% unknown and 10% failed outcomes.

func benchHistory(steps, keys int) History {
	return simRegister(1, simConf{workers: 5, steps: steps, keys: keys, pUnknown: 0.1, pFail: 0.1, final: true})
}

func benchCheck(b *testing.B, h History, check func(History, Options) Result) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if res := check(h, Options{}); !res.OK {
			b.Fatalf("correct history failed: %v", res.Violations[0])
		}
	}
	b.ReportMetric(float64(len(h.Ops)*b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkReadAfterWrite(b *testing.B) {
	for _, size := range []struct{ steps, keys int }{{1000, 5}, {5000, 5}, {5000, 50}} {
		h := benchHistory(size.steps, size.keys)
		name := fmt.Sprintf("ops=%d/keys=%d", len(h.Ops), size.keys)
		b.Run("porcupine/"+name, func(b *testing.B) { benchCheck(b, h, ReadAfterWrite) })
		b.Run("sweep/"+name, func(b *testing.B) { benchCheck(b, h, ReadAfterWriteSweep) })
	}
}

func BenchmarkLinearizability(b *testing.B) {
	h := benchHistory(1000, 5)
	b.Run(fmt.Sprintf("ops=%d", len(h.Ops)), func(b *testing.B) { benchCheck(b, h, Linearizability) })
}

func BenchmarkListAfterWrite(b *testing.B) {
	h := simSet(1, simConf{workers: 5, steps: 5000, pUnknown: 0.1, pFail: 0.1, final: true})
	b.Run(fmt.Sprintf("ops=%d", len(h.Ops)), func(b *testing.B) { benchCheck(b, h, ListAfterWrite) })
}

func BenchmarkCheckAll(b *testing.B) {
	h := benchHistory(2000, 5)
	b.Run(fmt.Sprintf("ops=%d", len(h.Ops)), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CheckAll(h, Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(h.Ops)*b.N)/b.Elapsed().Seconds(), "ops/s")
	})
}
