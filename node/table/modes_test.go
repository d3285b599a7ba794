package table

import (
	"context"
	"fmt"
	"testing"

	"github.com/gogarage/garage/netem"
)

// rawSweep runs a direct read-after-write sweep on one key over seeds:
// a single client alternates writes (unique values, increasing
// timestamps) and reads through random nodes while a random node is cut
// off before each operation. A read is stale when it returns an older
// timestamp than the last acknowledged write. It returns the stale reads
// and the reads that succeeded.
func rawSweep(t *testing.T, mode Mode, seeds int) (stale, reads int) {
	for seed := range seeds {
		c := newCluster(t, clusterOpts{seed: uint64(1000 + seed), nodes: 5, mode: mode, partBit: 2,
			cfg: Config{NoWorkers: true}})
		s, r := c.rawRun(t)
		stale, reads = stale+s, reads+r
	}
	return stale, reads
}

func (c *cluster) rawRun(t *testing.T) (stale, reads int) {
	rng := c.w.Rand("sweep")
	var acked uint64
	var cut netem.CutID
	cutting := false
	for op := range 12 {
		if cutting {
			c.w.Network().Heal(cut)
		}
		if cutting = rng.IntN(3) > 0; cutting {
			cut = c.w.Network().IsolateNode(string(c.ids[rng.IntN(len(c.ids))]))
		}
		via := c.ids[rng.IntN(len(c.ids))]
		if op%2 == 0 {
			ts := uint64(10 + op)
			if c.insert(via, mkRow("key", "x", ts, fmt.Sprint("v", op))) == nil {
				acked = ts
			}
			continue
		}
		var got row
		var ok bool
		err := c.do(func(ctx context.Context) error {
			var err error
			got, ok, err = c.tabs[via].Get(ctx, []byte("key"), []byte("x"))
			return err
		})
		if err != nil {
			continue
		}
		reads++
		if (!ok && acked > 0) || got.V.Time() < acked {
			stale++
		}
	}
	return stale, reads
}

func sweepSeeds() int {
	if *long {
		return 1000
	}
	return 200
}

// TestConsistentModeHasNoStaleReads is the read-after-write sweep of the
// consistent mode: R + W > RF, so no read misses an acknowledged write.
func TestConsistentModeHasNoStaleReads(t *testing.T) {
	stale, reads := rawSweep(t, Consistent, sweepSeeds())
	t.Logf("consistent: %d stale of %d successful reads over %d seeds", stale, reads, sweepSeeds())
	if stale != 0 || reads == 0 {
		t.Fatalf("consistent mode: %d stale reads of %d", stale, reads)
	}
}

// TestDegradedModeShowsStaleReads is the negative control: with R = 1 a
// replica cut off from the write answers its own stale copy.
func TestDegradedModeShowsStaleReads(t *testing.T) {
	stale, reads := rawSweep(t, Degraded, sweepSeeds())
	t.Logf("degraded: %d stale of %d successful reads over %d seeds", stale, reads, sweepSeeds())
	if stale == 0 {
		t.Fatalf("degraded mode showed no stale read in %d reads: the sweep cannot fail", reads)
	}
}

func TestQuorums(t *testing.T) {
	for _, tc := range []struct {
		m      Mode
		rf     int
		wr, ww int
	}{
		{Consistent, 3, 2, 2}, {Consistent, 1, 1, 1}, {Consistent, 5, 3, 3}, {Consistent, 2, 1, 2},
		{Degraded, 3, 1, 2}, {Dangerous, 3, 1, 1},
	} {
		r, w := tc.m.Quorums(tc.rf)
		if r != tc.wr || w != tc.ww {
			t.Errorf("%v rf=%d: got R=%d W=%d, want R=%d W=%d", tc.m, tc.rf, r, w, tc.wr, tc.ww)
		}
	}
}
