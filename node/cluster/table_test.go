package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// newestOnly is the negative control of a multi-version transition: writes
// go to the newest live version only (a single-version layout switch).
type newestOnly struct{ table.Layout }

func (n newestOnly) WriteSets(key []byte) [][]rt.NodeID {
	sets := n.Layout.WriteSets(key)
	return sets[len(sets)-1:]
}

// reg is a last-writer-wins register of the test table.
type reg struct {
	Key crdt.Bytes
	V   crdt.LWW[crdt.Bytes]
}

func (r reg) PartitionKey() []byte { return r.Key }
func (r reg) SortKey() []byte      { return nil }
func (r reg) Merge(o reg) reg      { r.V = r.V.Merge(o.V); return r }
func (r reg) Encode(b []byte) []byte {
	return r.V.Encode(r.Key.Encode(b))
}
func (reg) Decode(b []byte) (reg, []byte, error) {
	k, b, err := crdt.Bytes(nil).Decode(b)
	if err != nil {
		return reg{}, nil, err
	}
	v, b, err := crdt.LWW[crdt.Bytes]{}.Decode(b)
	return reg{Key: k, V: v}, b, err
}

// put writes val under key at max(now, newest + 1).
func put(ctx context.Context, t *table.Table[reg], now uint64, key, val string) error {
	cur, _, err := t.Get(ctx, []byte(key), nil)
	if err != nil {
		return err
	}
	return t.Insert(ctx, reg{Key: crdt.Bytes(key), V: cur.V.Update(now, crdt.Bytes(val))})
}

// readAfterWrite runs a table of registers over the layout lay (built per
// node) and counts read-after-write violations while a layout change that
// removes n4 and n5 is applied mid-way. SyncDone is never reported (no
// workers), so reads stay on the old version.
func readAfterWrite(t *testing.T, seed uint64, lay func(c *Cluster) table.Layout) []string {
	h := newHarness(t, seed, 5, nil)
	tabs := map[rt.NodeID]*table.Table[reg]{}
	h.hook = func(env rt.Env, c *Cluster) {
		tabs[env.ID] = table.Open[reg](env, table.Spec[reg]{Table: "regs"}, lay(c), table.Config{NoWorkers: true})
	}
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	var bad []string
	h.do(func(ctx context.Context) {
		for i := range 80 {
			if i == 20 {
				applyRemoval(t, h.cs["n1"], "n4", "n5")
			}
			key, val := fmt.Sprintf("k%d", i%13), fmt.Sprintf("v%d", i)
			w, r := tabs[h.ids[i%5]], tabs[h.ids[(i+2)%5]]
			if err := put(ctx, w, uint64(i+1), key, val); err != nil {
				bad = append(bad, fmt.Sprintf("put %s: %v", key, err))
				continue
			}
			if got, _, err := r.Get(ctx, []byte(key), nil); err != nil || string(got.V.Value()) != val {
				bad = append(bad, fmt.Sprintf("get %s = %q, %v; want %q", key, got.V.Value(), err, val))
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
	sharded := func(c *Cluster) table.Layout { return Sharded(c, table.Consistent) }
	for _, f := range readAfterWrite(t, 30, sharded) {
		t.Error(f)
	}
	control := func(c *Cluster) table.Layout { return newestOnly{sharded(c)} }
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
	sharded := func(c *Cluster) table.Layout { return Sharded(c, table.Consistent) }
	caught := 0
	for seed := uint64(100); seed < 150; seed++ {
		for _, f := range readAfterWrite(t, seed, sharded) {
			t.Errorf("seed %d: %s", seed, f)
		}
		if len(readAfterWrite(t, seed, func(c *Cluster) table.Layout { return newestOnly{sharded(c)} })) > 0 {
			caught++
		}
	}
	t.Logf("negative control caught on %d of 50 seeds", caught)
}
