package host

import (
	"context"
	"slices"
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
