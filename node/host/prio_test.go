package host

import (
	"context"
	"encoding/binary"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// pingStats times n small calls at prio and returns the sorted latencies.
func pingStats(t testing.TB, a *Net, to rt.NodeID, prio rt.Priority, n int) []time.Duration {
	t.Helper()
	var lat []time.Duration
	for range n {
		start := time.Now()
		if _, err := a.Call(context.Background(), to, "echo", nil, rt.CallOpts{Prio: prio}); err != nil {
			t.Fatalf("ping at %v: %v", prio, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat
}

// floodSetup is the shape of a flood: how many callers send background
// calls of how many bytes, while how many pings of each class are timed.
type floodSetup struct{ flooders, size, pings int }

// floodResult is what one flood measured.
type floodResult struct {
	idle, high, bg []time.Duration // sorted ping latencies
	calls          int             // background calls completed during the flood
}

// queueLimit is a setting of the kernel's unsent queue a flood runs with.
type queueLimit struct {
	name  string
	limit int // NetConfig.UnsentLimit
}

// queueLimits returns the two settings floods run with: the unsent queue
// capped (the default) and uncapped.
func queueLimits() []queueLimit { return []queueLimit{{"unsent-capped", 0}, {"kernel-fifo", -1}} }

// TestPingsCompleteUnderFlood checks that high and background pings
// succeed while background calls of 256 KiB saturate the link, and that
// the flood calls succeed too (flood fails the test otherwise). The
// latencies are measured by BenchmarkPriorityUnderFlood; the ordering is
// checked exactly by TestQueueOrder.
func TestPingsCompleteUnderFlood(t *testing.T) {
	for _, c := range queueLimits() {
		t.Run(c.name, func(t *testing.T) {
			nets := cluster(t, 2, func(cfg *NetConfig) { cfg.UnsentLimit = c.limit })
			flood(t, nets[0], nets[1], floodSetup{flooders: 2, size: 256 << 10, pings: 3})
		})
	}
}

// BenchmarkPriorityUnderFlood measures ping latency while background calls
// of 256 KiB (1 MiB with -long) saturate the link, with the kernel's
// unsent queue capped (the default) and uncapped. Each iteration times 20
// pings (100 with -long) idle, then at high and at background priority
// under the flood; it reports their medians and maxima in µs over all
// iterations, and the background calls completed per iteration.
func BenchmarkPriorityUnderFlood(b *testing.B) {
	setup := floodSetup{flooders: 4, size: 256 << 10, pings: 20}
	if *long {
		setup = floodSetup{flooders: 8, size: 1 << 20, pings: 100}
	}
	for _, c := range queueLimits() {
		b.Run(c.name, func(b *testing.B) {
			nets := cluster(b, 2, func(cfg *NetConfig) { cfg.UnsentLimit = c.limit })
			var all floodResult
			for b.Loop() {
				r := flood(b, nets[0], nets[1], setup)
				all.idle, all.high, all.bg = append(all.idle, r.idle...), append(all.high, r.high...), append(all.bg, r.bg...)
				all.calls += r.calls
			}
			reportPings(b, "idle", all.idle)
			reportPings(b, "high", all.high)
			reportPings(b, "bg", all.bg)
			b.ReportMetric(float64(all.calls)/float64(b.N), "flood-calls/op")
		})
	}
}

// reportPings reports the median and the maximum of lat, in µs.
func reportPings(b *testing.B, class string, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), class+"-p50-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), class+"-max-µs")
}

// flood times idle pings from a to b, then starts background calls and,
// once they are under way, times high and background pings under them. A
// failed call fails t.
func flood(t testing.TB, a, b *Net, fs floodSetup) floodResult {
	t.Helper()
	b.Handle("sink", func(context.Context, rt.NodeID, []byte) ([]byte, error) { return nil, nil })
	var r floodResult
	r.idle = pingStats(t, a, b.ID(), rt.PrioHigh, fs.pings)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var calls atomic.Int64
	blob := make([]byte, fs.size)
	for range fs.flooders {
		wg.Go(func() {
			for ctx.Err() == nil {
				_, err := a.Call(ctx, b.ID(), "sink", blob, rt.CallOpts{Prio: rt.PrioBackground})
				if err != nil && ctx.Err() == nil {
					t.Errorf("flood call: %v", err)
				}
				if err == nil {
					calls.Add(1)
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // let the flood fill the queues
	eventually(t, "a flood call completes", func() bool { return calls.Load() > 0 })
	r.high = pingStats(t, a, b.ID(), rt.PrioHigh, fs.pings)
	r.bg = pingStats(t, a, b.ID(), rt.PrioBackground, fs.pings)
	stop()
	wg.Wait()
	r.calls = int(calls.Load())
	return r
}

// frameTap is a paced connection that records the header of every frame
// written through it.
type frameTap struct {
	net.Conn
	mu     sync.Mutex
	buf    []byte
	frames []header
}

func (f *frameTap) Write(b []byte) (int, error) {
	time.Sleep(time.Duration(float64(len(b)) / 50e6 * float64(time.Second))) // a 50 MB/s link
	f.mu.Lock()
	f.buf = append(f.buf, b...)
	for len(f.buf) >= lenPrefix {
		n := lenPrefix + int(binary.BigEndian.Uint32(f.buf))
		if len(f.buf) < n {
			break
		}
		if h, _, err := parseFrame(f.buf[lenPrefix:n]); err == nil {
			f.frames = append(f.frames, h)
		}
		f.buf = f.buf[n:]
	}
	f.mu.Unlock()
	return f.Conn.Write(b)
}

// requests returns the endpoints of the request frames written, a "+" after
// a fragment that has more to come.
func (f *frameTap) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, h := range f.frames {
		if h.typ != ftRequest {
			continue
		}
		if h.flags&flagMore != 0 {
			out = append(out, h.endpoint+"+")
		} else {
			out = append(out, h.endpoint)
		}
	}
	return out
}

// TestLargeBodyInterleaves checks on the wire that a 1 MiB background
// request travels as chunks and that an urgent request started after it
// goes out between two of them, not after the whole body.
func TestLargeBodyInterleaves(t *testing.T) {
	var tap *frameTap
	nets := cluster(t, 2, func(c *NetConfig) {
		if c.ID == "n1" {
			c.WrapConn = func(nc net.Conn, _, _ rt.NodeID) net.Conn {
				tap = &frameTap{Conn: nc}
				return tap
			}
		}
	})
	a, b := nets[0], nets[1]
	b.Handle("bulk", func(context.Context, rt.NodeID, []byte) ([]byte, error) { return nil, nil })
	if _, err := call(a, b.ID(), "echo", nil); err != nil {
		t.Fatal(err)
	}
	bulk := make(chan error, 1)
	a.Start(b.ID(), "bulk", make([]byte, 1<<20), rt.CallOpts{Prio: rt.PrioBackground, Timeout: 10 * time.Second},
		func(_ []byte, err error) { bulk <- err })
	eventually(t, "a first chunk of bulk on the wire", func() bool { return slices.Contains(tap.requests(), "bulk+") })
	if _, err := a.Call(context.Background(), b.ID(), "echo", []byte("urgent"), rt.CallOpts{Prio: rt.PrioHigh}); err != nil {
		t.Fatal(err)
	}
	if err := <-bulk; err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tap.requests(), " ")
	if !strings.Contains(got, "bulk+ echo bulk") {
		t.Errorf("request frames on the wire: %s\nwant the urgent echo between two chunks of bulk", got)
	}
	if n := strings.Count(got, "bulk"); n != (1<<20)/(64<<10) {
		t.Errorf("1 MiB went as %d frames, want %d chunks of 64 KiB", n, (1<<20)/(64<<10))
	}
}
