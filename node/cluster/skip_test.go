package cluster

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

func TestSkipDeadNodes(t *testing.T) {
	h := newHarness(t, 50, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	syncAll(h, 1)
	h.crash("n5")
	h.until("n5 down", 10*time.Second, func() bool { return h.cs["n1"].Health().StorageNodesUp == 4 })
	c := h.cs["n1"]
	h.do(func(context.Context) { applyRemoval(t, c, "n5") })
	h.run(10 * time.Second)
	if _, ok := c.SyncTarget(); ok {
		t.Fatal("sync may start although dead n5 never acked version 2")
	}
	skip := func(allowMissing bool) {
		h.do(func(context.Context) {
			dead, err := c.SkipDeadNodes(2, allowMissing)
			if err != nil || !slices.Equal(dead, []rt.NodeID{"n5"}) {
				t.Errorf("SkipDeadNodes = %v, %v; want [n5]", dead, err)
			}
		})
	}
	skip(false)
	h.until("acks everywhere", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { _, ok := c.SyncTarget(); return ok })
	})
	h.do(func(context.Context) {
		for _, c := range h.up() {
			c.SyncDone(2)
		}
	})
	h.run(10 * time.Second)
	if !c.History().InTransition() {
		t.Fatal("version 1 retired although dead n5 never synced")
	}
	skip(true)
	h.until("version 1 retired", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return !c.layoutSnapshot().InTransition() })
	})
	h.do(func(context.Context) {
		if _, err := c.SkipDeadNodes(2, false); err == nil {
			t.Error("SkipDeadNodes of a version no longer in transition succeeded")
		}
	})
}

func TestLayoutApplyFailpoint(t *testing.T) {
	h := newHarness(t, 51, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	injected := fail.Err("apply refused")
	h.w.Arm("n1", fail.LayoutApply, sim.FaultSpec{Value: injected, Count: 1})
	h.w.Arm("n3", fail.LayoutApply, sim.FaultSpec{Value: injected, Count: 3})
	c := h.cs["n1"]
	h.do(func(context.Context) {
		if err := c.StageRole("n1", layoutRole(1)); err != nil {
			t.Error(err)
		}
		if _, err := c.Apply(1); !errors.Is(err, fail.ErrInjected) {
			t.Errorf("Apply with the failpoint armed: %v, want an injected error", err)
		}
	})
	h.assignAll()
	if got := h.w.FaultHits("n3", fail.LayoutApply); got != 3 {
		t.Errorf("n3 refused %d merges of version 1, want 3", got)
	}
}
