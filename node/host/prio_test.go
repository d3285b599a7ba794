package host

import (
	"context"
	"encoding/binary"
	"net"
	"slices"
	"strings"
	"sync"
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

func summary(lat []time.Duration) string {
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	return "mean " + (sum / time.Duration(len(lat))).String() + " p50 " +
		lat[len(lat)/2].String() + " max " + lat[len(lat)-1].String()
}

// TestPriorityUnderFlood measures ping latency while background calls of
// 256 KiB (1 MiB with -long) saturate the link, with the kernel's unsent queue capped (the
// default) and uncapped. It asserts only that everything completes: the
// figures are logged (go test -v -run Priority), the ordering itself is
// checked exactly by TestQueueOrder.
func TestPriorityUnderFlood(t *testing.T) {
	for _, c := range []struct {
		name  string
		limit int
	}{{"unsent-capped", 0}, {"kernel-fifo", -1}} {
		t.Run(c.name, func(t *testing.T) {
			nets := cluster(t, 2, func(cfg *NetConfig) { cfg.UnsentLimit = c.limit })
			flood(t, nets[0], nets[1])
		})
	}
}

func flood(t *testing.T, a, b *Net) {
	b.Handle("sink", func(context.Context, rt.NodeID, []byte) ([]byte, error) { return nil, nil })
	flooders, size, pings := 4, 256<<10, 20
	if *long {
		flooders, size, pings = 8, 1<<20, 100
	}
	idle := pingStats(t, a, b.ID(), rt.PrioHigh, pings)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var flooded sync.Map
	blob := make([]byte, size)
	for w := range flooders {
		wg.Go(func() {
			for k := 0; ctx.Err() == nil; k++ {
				_, err := a.Call(ctx, b.ID(), "sink", blob, rt.CallOpts{Prio: rt.PrioBackground})
				if err != nil && ctx.Err() == nil {
					t.Errorf("flood call: %v", err)
				}
				flooded.Store(w, k)
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // let the flood fill the queues
	high := pingStats(t, a, b.ID(), rt.PrioHigh, pings)
	bg := pingStats(t, a, b.ID(), rt.PrioBackground, pings)
	stop()
	wg.Wait()
	total := 0
	flooded.Range(func(_, v any) bool { total += v.(int); return true })
	t.Logf("idle ping:             %s", summary(idle))
	t.Logf("high ping under flood: %s", summary(high))
	t.Logf("bg ping under flood:   %s", summary(bg))
	t.Logf("flood: %d calls of %d KiB from %d callers", total, size>>10, flooders)
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
