package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// newestOnly is the negative control of a multi-version transition: writes
// go to the newest live version only (a single-version layout switch).
type newestOnly struct{ table.Replication }

func (n newestOnly) WriteSets(key []byte) [][]rt.NodeID {
	sets := n.Replication.WriteSets(key)
	return sets[len(sets)-1:]
}

// readAfterWrite runs the register store of node/table over repl (built
// per node) and counts read-after-write violations while a layout change
// that removes n4 and n5 is applied mid-way. SyncDone is never called, so
// reads stay on the old version.
func readAfterWrite(t *testing.T, seed uint64, repl func(c *Cluster) table.Replication) []string {
	h := newHarness(t, seed, 5, nil)
	stores := map[rt.NodeID]*table.Store{}
	h.hook = func(env rt.Env, c *Cluster) { stores[env.ID] = table.New(env, repl(c), table.Options{}) }
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	var bad []string
	h.do(func(ctx context.Context) {
		for i := range 80 {
			if i == 20 {
				applyRemoval(t, h.cs["n1"], "n4", "n5")
			}
			key, val := fmt.Sprintf("k%d", i%13), fmt.Sprintf("v%d", i)
			w, r := stores[h.ids[i%5]], stores[h.ids[(i+2)%5]]
			if _, err := w.Put(ctx, key, []byte(val)); err != nil {
				bad = append(bad, fmt.Sprintf("put %s: %v", key, err))
				continue
			}
			if got, err := r.Get(ctx, key); err != nil || string(got.Value) != val {
				bad = append(bad, fmt.Sprintf("get %s = %q, %v; want %q", key, got.Value, err, val))
			}
		}
	})
	if !h.cs["n1"].History().InTransition() {
		t.Error("transition finished without SyncDone")
	}
	return bad
}

func applyRemoval(t *testing.T, c *Cluster, ids ...rt.NodeID) {
	for _, id := range ids {
		if err := c.StageRemove(id); err != nil {
			t.Error(err)
		}
	}
	if _, err := c.Apply(c.History().Current().Number + 1); err != nil {
		t.Error(err)
	}
}

func TestTableOverShardedAcrossTransition(t *testing.T) {
	sharded := func(c *Cluster) table.Replication { return Sharded(c, table.Consistent) }
	for _, f := range readAfterWrite(t, 30, sharded) {
		t.Error(f)
	}
	control := func(c *Cluster) table.Replication { return newestOnly{sharded(c)} }
	bad := readAfterWrite(t, 30, control)
	if len(bad) == 0 {
		t.Error("negative control (writes to the newest version only) lost no write")
	}
	t.Logf("negative control: %d violations of 80, e.g. %v", len(bad), bad[:min(1, len(bad))])
}

// TestReadAfterWriteManySeeds sweeps seeds with -long.
func TestReadAfterWriteManySeeds(t *testing.T) {
	if !*long {
		t.Skip("run with -long")
	}
	sharded := func(c *Cluster) table.Replication { return Sharded(c, table.Consistent) }
	caught := 0
	for seed := uint64(100); seed < 150; seed++ {
		for _, f := range readAfterWrite(t, seed, sharded) {
			t.Errorf("seed %d: %s", seed, f)
		}
		if len(readAfterWrite(t, seed, func(c *Cluster) table.Replication { return newestOnly{sharded(c)} })) > 0 {
			caught++
		}
	}
	t.Logf("negative control caught on %d of 50 seeds", caught)
}
