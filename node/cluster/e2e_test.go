package cluster

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// counter is a test entry: a key holding a max-register.
type counter struct {
	K string
	V uint64
}

func (c counter) Merge(o counter) counter {
	if o.V > c.V {
		return o
	}
	return c
}

func (c counter) Encode(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(c.K)))
	return binary.AppendUvarint(append(b, c.K...), c.V)
}

func (counter) Decode(b []byte) (counter, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return counter{}, nil, errors.New("bad counter key")
	}
	key := string(b[k : k+int(n)])
	b = b[k+int(n):]
	v, k := binary.Uvarint(b)
	if k <= 0 {
		return counter{}, nil, errors.New("bad counter value")
	}
	return counter{K: key, V: v}, b[k:], nil
}

func (c counter) PartitionKey() []byte { return []byte(c.K) }
func (c counter) SortKey() []byte      { return nil }

type counterSchema struct{}

func (counterSchema) Name() string                            { return "counters" }
func (counterSchema) IsTombstone(counter) bool                { return false }
func (counterSchema) Updated(rt.Tx, *counter, *counter) error { return nil }

// TestTransitionDrivenByTableSync runs node/table's generic table over
// Sharded and moves a layout from n1…n4 to n2…n5: the transition must
// complete through the table's own anti-entropy calling SyncDone, and
// every entry written before must be readable afterwards.
func TestTransitionDrivenByTableSync(t *testing.T) {
	h := newHarness(t, 70, 5, nil)
	tables := map[rt.NodeID]*table.Table[counter]{}
	h.hook = func(env rt.Env, c *Cluster) {
		tables[env.ID] = table.Open[counter](env, counterSchema{}, Sharded(c, table.Consistent),
			table.Config{SyncInterval: time.Minute, SyncRetry: time.Second, GCInterval: time.Hour})
	}
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n1"]
	h.do(func(context.Context) { stageAndApply(t, c, []rt.NodeID{"n1", "n2", "n3", "n4"}, nil) })
	h.until("version 1 synced", 2*time.Minute, func() bool {
		return h.all(func(c *Cluster) bool { return c.layoutSnapshot().SyncMin() == 1 })
	})
	const n = 100
	h.do(func(ctx context.Context) {
		for i := range n {
			if err := tables[h.ids[i%5]].Insert(ctx, counter{K: fmt.Sprintf("k%d", i), V: uint64(i + 1)}); err != nil {
				t.Errorf("insert %d: %v", i, err)
			}
		}
	})
	start := h.w.Now()
	h.do(func(context.Context) { stageAndApply(t, c, []rt.NodeID{"n5"}, []rt.NodeID{"n1"}) })
	h.until("version 1 retired", 5*time.Minute, func() bool {
		return h.all(func(c *Cluster) bool {
			hs := c.layoutSnapshot()
			return !hs.InTransition() && hs.Current().Number == 2
		})
	})
	t.Logf("transition 1 -> 2 done in %v virtual", h.w.Now()-start)
	h.do(func(ctx context.Context) {
		for i := range n {
			got, ok, err := tables["n5"].Get(ctx, []byte(fmt.Sprintf("k%d", i)), nil)
			if err != nil || !ok || got.V != uint64(i+1) {
				t.Errorf("get k%d after the transition = %+v, %v, %v", i, got, ok, err)
			}
		}
	})
}

// stageAndApply gives add storage roles in their harness zones, removes
// remove, and applies the next version.
func stageAndApply(t *testing.T, c *Cluster, add, remove []rt.NodeID) {
	for _, id := range add {
		var i int
		fmt.Sscanf(string(id), "n%d", &i)
		if err := c.StageRole(id, layout.StorageRole(zoneOf(i), 100*gb)); err != nil {
			t.Error(err)
		}
	}
	for _, id := range remove {
		if err := c.StageRemove(id); err != nil {
			t.Error(err)
		}
	}
	if _, err := c.Apply(c.History().Current().Number + 1); err != nil {
		t.Error(err)
	}
}
