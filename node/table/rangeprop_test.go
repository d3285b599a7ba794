package table

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestRangeEqualsModel checks GetRange against a model over replicas that
// disagree: each entry's newest version (live or tombstone) sits on two
// replicas, the third holds an older version or nothing. Any read quorum
// therefore knows the newest version of every entry, and a range read must
// return exactly the model's live entries from start, in order, cut at
// the limit.
func TestRangeEqualsModel(t *testing.T) {
	for seed := range uint64(60) {
		c := newCluster(t, clusterOpts{seed: 60 + seed, nodes: 5, partBit: 2, cfg: Config{NoWorkers: true}})
		rng := c.w.Rand("range-model")
		live := c.diverge(t, rng.IntN)
		// Read repair heals what a read saw: a few reads per divergent state.
		for range 3 {
			limit, reverse := 1+rng.IntN(12), rng.IntN(2) == 0
			start := []byte(fmt.Sprintf("s%02d", rng.IntN(64)))
			if rng.IntN(4) == 0 {
				start = nil
			}
			via := c.ids[rng.IntN(len(c.ids))]
			var got []row
			must(t, c.do(func(ctx context.Context) error {
				var err error
				got, err = c.tabs[via].GetRange(ctx, []byte("pk"), start, Filter{Live: true}, limit, reverse)
				return err
			}))
			want := modelRange(live, string(start), limit, reverse)
			var gotKeys []string
			for _, r := range got {
				gotKeys = append(gotKeys, r.SK)
			}
			if !slices.Equal(gotKeys, want) {
				t.Fatalf("seed %d: range from %q limit %d reverse %v through %s:\ngot  %v\nwant %v",
					seed, start, limit, reverse, via, gotKeys, want)
			}
		}
	}
}

// diverge stores 60 entries of "pk" so that each entry's newest version is
// on two replicas and the third holds an older version or nothing. It
// returns the sort keys whose newest version is live.
func (c *cluster) diverge(t *testing.T, intn func(int) int) []string {
	reps := c.replicas("pk")
	var live []string
	for i := range 60 {
		sk := fmt.Sprintf("s%02d", i)
		newest := mkRow("pk", sk, 2, []string{"", "new"}[intn(2)])
		skip := intn(3)
		for j, id := range reps {
			r := newest
			if j == skip {
				if intn(2) == 0 {
					continue
				}
				r = mkRow("pk", sk, 1, []string{"", "old"}[intn(2)])
			}
			must(t, c.tabs[id].LocalInsert(r))
		}
		if newest.Val() != "" {
			live = append(live, sk)
		}
	}
	return live
}

func modelRange(live []string, start string, limit int, reverse bool) []string {
	keys := slices.Clone(live)
	if reverse {
		slices.Reverse(keys)
	}
	var out []string
	for _, k := range keys {
		in := start == "" || (!reverse && k >= start) || (reverse && k <= start)
		if in && len(out) < limit {
			out = append(out, k)
		}
	}
	return out
}
