package host

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// benchCalls runs b.N calls of size bytes from n1 to n2 on loopback, with
// par concurrent callers per GOMAXPROCS (0: one caller), and reports
// calls/s, and for one caller the median and 99th percentile latency.
func benchCalls(b *testing.B, size, par int) {
	nets := cluster(b, 2, nil)
	nets[1].Handle("sink", func(context.Context, rt.NodeID, []byte) ([]byte, error) { return []byte("ok"), nil })
	req := make([]byte, size)
	if _, err := call(nets[0], "n2", "sink", req); err != nil { // connect
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	var busy time.Duration
	if par == 0 {
		var lat []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := nets[0].Call(context.Background(), "n2", "sink", req, rt.CallOpts{}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		busy = time.Since(start)
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	} else {
		b.SetParallelism(par)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := nets[0].Call(context.Background(), "n2", "sink", req, rt.CallOpts{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		busy = time.Since(start)
	}
	b.ReportMetric(float64(b.N)/busy.Seconds(), "calls/s")
}

func BenchmarkCall(b *testing.B)              { benchCalls(b, 16, 0) }
func BenchmarkCallParallel16(b *testing.B)    { benchCalls(b, 16, 16) }
func BenchmarkCall64KiB(b *testing.B)         { benchCalls(b, 64<<10, 0) }
func BenchmarkCall1MiB(b *testing.B)          { benchCalls(b, 1<<20, 0) }
func BenchmarkCall1MiBParallel4(b *testing.B) { benchCalls(b, 1<<20, 4) }
