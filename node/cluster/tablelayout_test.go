package cluster

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

func TestShardingSnapshots(t *testing.T) {
	h := transition(t, 40)
	h.until("acks", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { _, ok := c.SyncTarget(); return ok })
	})
	c := h.cs["n3"]
	s := Sharded(c, table.Consistent).Sharding()
	if s.Version != 2 || s.Bits != layout.DefaultPartitionBits || len(s.Parts) != 256 {
		t.Fatalf("sharded: version %d bits %d parts %d, want 2 8 256", s.Version, s.Bits, len(s.Parts))
	}
	for p, part := range s.Parts {
		if len(part.Sets) != 2 {
			t.Fatalf("partition %d has %d sets during the transition, want 2", p, len(part.Sets))
		}
	}
	f := Full(c).Sharding()
	if f.Version != 2 || f.Bits != 0 || len(f.Parts) != 1 || len(f.Parts[0].Sets) != 2 ||
		len(f.Parts[0].Sets[0]) != 5 || len(f.Parts[0].Sets[1]) != 4 {
		t.Errorf("full sharding = %+v, want one partition with sets of 5 and 4 nodes", f)
	}
}

func TestSyncWaitsForEveryTable(t *testing.T) {
	h := newHarness(t, 41, 5, nil)
	handles := map[string][]table.Layout{}
	h.hook = func(_ rt.Env, c *Cluster) {
		handles[string(c.ID())] = []table.Layout{Sharded(c, table.Consistent), Full(c)}
	}
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	synced := func() uint64 {
		v, _ := h.cs["n2"].History().Trackers.Sync.Get("n2")
		return v
	}
	h.do(func(context.Context) { handles["n2"][0].SyncDone(1) })
	h.run(time.Second)
	if got := synced(); got != 0 {
		t.Fatalf("sync tracker %d after one table of two synced, want 0", got)
	}
	h.do(func(context.Context) { handles["n2"][1].SyncDone(1) })
	h.run(time.Second)
	if got := synced(); got != 1 {
		t.Fatalf("sync tracker %d after both tables synced, want 1", got)
	}
}

func TestHandlesExposeGuard(t *testing.T) {
	h := newHarness(t, 42, 3, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n1"]
	for _, lay := range []table.Layout{Sharded(c, table.Consistent), Full(c)} {
		g, ok := lay.(interface{ Guard() func() })
		if !ok {
			t.Fatalf("%T has no Guard", lay)
		}
		release := g.Guard()
		if want := []guardCount{{v: 0, n: 1}}; !slices.Equal(c.guards, want) {
			t.Errorf("%T: guards %v after Guard, want one at version 0", lay, c.guards)
		}
		release()
		release()
		if len(c.guards) != 0 {
			t.Errorf("%T: guards %v after release, want none", lay, c.guards)
		}
	}
}
