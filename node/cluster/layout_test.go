package cluster

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

func TestStagedChangeAndApplyReachAll(t *testing.T) {
	h := newHarness(t, 5, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.do(func(context.Context) {
		if err := h.cs["n2"].StageRole("n4", layout.StorageRole("dc1", 100*gb)); err != nil {
			t.Error(err)
		}
	})
	h.until("staging everywhere", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool {
			_, ok := c.layoutSnapshot().Staging.Staged("n4")
			return ok
		})
	})
	h.assignAll()
	h.until("converged", 10*time.Second, h.converged)
	h.until("role advertised", 10*time.Second, func() bool {
		st := h.cs["n2"].peers["n1"].status
		return st.Role != nil && st.Role.Zone == "dc1" && st.LayoutVersion == 1
	})
	// n2 probes each peer once per round of 4 intervals (±10 %), and is
	// probed as often: it hears from each within two rounds.
	for _, n := range h.cs["n2"].Status() {
		if !n.HasRole || !n.Up || (!n.Self && (n.Ago <= 0 || n.Ago > 2*4*1100*time.Millisecond)) {
			t.Errorf("n2's status of %s: %+v", n.ID, n)
		}
	}
	h.do(func(context.Context) {
		_, err := h.cs["n3"].Apply(5)
		if !errors.Is(err, layout.ErrWrongVersion) {
			t.Errorf("Apply(5) at version 1: %v, want ErrWrongVersion", err)
		}
	})
}

// transition runs a cluster to version 1, then applies version 2 (n5
// removed) with AutoSync off, so that the transition waits for SyncDone.
func transition(t *testing.T, seed uint64) *harness {
	h := newHarness(t, seed, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	syncAll(h, 1)
	h.do(func(context.Context) {
		c := h.cs["n1"]
		if err := c.StageRemove("n5"); err != nil {
			t.Error(err)
		}
		if _, err := c.Apply(2); err != nil {
			t.Error(err)
		}
	})
	h.until("version 2 everywhere", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return c.layoutSnapshot().Current().Number == 2 })
	})
	return h
}

// syncAll calls SyncDone(v) on every up node and waits for v to be the
// only live version everywhere.
func syncAll(h *harness, v uint64) {
	h.t.Helper()
	h.do(func(context.Context) {
		for _, c := range h.up() {
			c.SyncDone(v)
		}
	})
	h.until("old versions retired", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool {
			hs := c.layoutSnapshot()
			return len(hs.Versions) == 1 && hs.Versions[0].Number == v
		})
	})
}

func TestTransitionTrackersAndRetirement(t *testing.T) {
	h := transition(t, 6)
	h.until("acks", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { _, ok := c.SyncTarget(); return ok })
	})
	c := h.cs["n2"]
	hs := c.History()
	if !hs.InTransition() || hs.ReadVersion().Number != 1 {
		t.Fatalf("live %d versions, read version %d: want 2 live, reads on 1", len(hs.Versions), hs.ReadVersion().Number)
	}
	repl := Sharded(c, table.Consistent)
	moved := 0
	for i := range 200 {
		key := []byte{byte(i), 'k'}
		sets := repl.WriteSets(key)
		if len(sets) != 2 {
			t.Fatalf("WriteSets(%q) = %v during a transition, want 2 sets", key, sets)
		}
		if !sameSet(sets[0], repl.ReadNodes(key)) {
			t.Errorf("ReadNodes(%q) = %v, want the old version's %v", key, repl.ReadNodes(key), sets[0])
		}
		if !sameSet(sets[0], sets[1]) {
			moved++
		}
	}
	if moved == 0 {
		t.Error("removing n5 moved no partition of 200 keys")
	}
	syncAll(h, 2)
	hs = h.cs["n4"].History()
	if got := hs.Old[len(hs.Old)-1].Number; got != 1 {
		t.Errorf("newest retired version = %d, want 1", got)
	}
	if sets := repl.WriteSets([]byte("k")); len(sets) != 1 || len(sets[0]) != 3 {
		t.Errorf("WriteSets after the transition = %v, want one set of 3", sets)
	}
}

func sameSet(a, b []rt.NodeID) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

func TestGuardHoldsAck(t *testing.T) {
	h := newHarness(t, 7, 5, func(c *Config) { c.AutoSync = true })
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	h.until("v1 alone", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return !c.layoutSnapshot().InTransition() })
	})
	release := h.cs["n3"].Guard()
	h.do(func(context.Context) {
		if err := h.cs["n1"].StageRemove("n5"); err != nil {
			t.Error(err)
		}
		if _, err := h.cs["n1"].Apply(2); err != nil {
			t.Error(err)
		}
	})
	h.run(10 * time.Second)
	ack, _ := h.cs["n1"].History().Trackers.Ack.Get("n3")
	if ack != 1 {
		t.Fatalf("n3 acked %d while a version-1 write was in flight, want 1", ack)
	}
	h.do(func(context.Context) { release() })
	h.until("transition done", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return len(c.layoutSnapshot().Versions) == 1 })
	})
}

func TestLayoutPersisted(t *testing.T) {
	h := newHarness(t, 8, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	want := h.cs["n3"].Digest()
	h.cfg.Bootstrap = nil
	h.w.Network().IsolateNode("n3")
	h.restart("n3")
	h.run(time.Millisecond)
	if got := h.cs["n3"].Digest(); got != want {
		t.Errorf("digest after restart %v, want %v", got, want)
	}
	if v := h.cs["n3"].History().Current().Number; v != 1 {
		t.Errorf("version after restart %d, want 1", v)
	}
}

func TestPartitionDelaysGossipThenConverges(t *testing.T) {
	h := newHarness(t, 9, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	cut := h.w.Network().IsolateZone("dc3")
	h.assignAll2("n3")
	h.run(20 * time.Second)
	if v := h.cs["n3"].History().Current().Number; v != 0 {
		t.Fatalf("isolated n3 has version %d", v)
	}
	h.w.Network().Heal(cut)
	healed := h.w.Now()
	h.until("converged after heal", 30*time.Second, func() bool {
		return h.converged() && h.cs["n3"].layoutSnapshot().Current().Number == 1
	})
	t.Logf("converged %v after heal", h.w.Now()-healed)
}

// assignAll2 is assignAll that waits only for the nodes other than skip.
func (h *harness) assignAll2(skip rt.NodeID) {
	c := h.cs["n1"]
	h.do(func(context.Context) {
		for i, id := range h.ids {
			if err := c.StageRole(id, layout.StorageRole(zoneOf(i+1), 100*gb)); err != nil {
				h.t.Error(err)
			}
		}
		if _, err := c.Apply(1); err != nil {
			h.t.Error(err)
		}
	})
	h.until("layout on the majority", 10*time.Second, func() bool {
		for _, id := range h.ids {
			if id != skip && h.cs[id].layoutSnapshot().Current().Number != 1 {
				return false
			}
		}
		return true
	})
}
