package table

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestGCRemovesTombstonesWithoutResurrection deletes entries while a
// replica that still holds them is down, checks that GC leaves the
// tombstones of its partitions alone meanwhile, then restarts it and checks
// that every tombstone goes away everywhere and no deleted entry comes
// back; a key deleted then written again stays.
func TestGCRemovesTombstonesWithoutResurrection(t *testing.T) {
	cfg := syncCfg
	cfg.GCDelay, cfg.GCInterval, cfg.SyncTimeout = 2*time.Minute, 20*time.Second, 5*time.Second
	c := newCluster(t, clusterOpts{seed: 40, nodes: 5, cfg: cfg})
	var live, dead []row
	for i := range 60 {
		r := mkRow(fmt.Sprint("pk", i%7), fmt.Sprint(i), 10, "v")
		if i%4 == 0 {
			live = append(live, r)
		} else {
			dead = append(dead, r)
		}
	}
	must(t, c.insert("n1", append(slices.Clone(live), dead...)...))
	must(t, c.w.RunUntil(c.converged, time.Minute))
	c.w.Crash("n3")
	for _, r := range dead {
		must(t, c.insert("n2", mkRow(r.PK, r.SK, 20, "")))
	}
	again := dead[0]
	must(t, c.insert("n2", mkRow(again.PK, again.SK, 30, "back")))
	must(t, c.w.RunFor(cfg.GCDelay+3*cfg.GCInterval))
	onN3, elsewhere := 0, 0
	for _, r := range dead[1:] {
		if slices.Contains(c.replicas(r.PK), "n3") {
			onN3 += c.holders(r)
		} else {
			elsewhere += c.holders(r)
		}
	}
	if onN3 == 0 || elsewhere != 0 {
		t.Fatalf("while n3 is down: %d copies of its tombstones (want > 0), %d of others (want 0)", onN3, elsewhere)
	}
	c.w.Restart("n3")
	collected := func() bool {
		for _, r := range dead[1:] {
			if c.holders(r) != 0 {
				return false
			}
		}
		return c.converged()
	}
	start := c.w.Now()
	must(t, c.w.RunUntil(collected, 10*time.Minute))
	t.Logf("tombstones collected %v after the replica came back", c.w.Now()-start)
	c.checkRows(t, live, dead[1:], again)
}

// holders returns how many nodes store r (in any version).
func (c *cluster) holders(r row) int {
	n := 0
	for _, id := range c.ids {
		if !c.w.Up(id) {
			continue
		}
		if _, ok, _ := c.tabs[id].LocalGet([]byte(r.PK), []byte(r.SK)); ok {
			n++
		}
	}
	return n
}

// checkRows checks that live rows read as "v", dead ones as absent, and
// again as "back", through every node.
func (c *cluster) checkRows(t *testing.T, live, dead []row, again row) {
	t.Helper()
	for _, id := range c.ids {
		for _, r := range live {
			if got, ok, err := c.get(id, r.PK, r.SK); err != nil || !ok || got.Val() != "v" {
				t.Fatalf("live %s/%s through %s: %q %v %v", r.PK, r.SK, id, got.Val(), ok, err)
			}
		}
		for _, r := range dead {
			if got, ok, err := c.get(id, r.PK, r.SK); err != nil || ok {
				t.Fatalf("deleted %s/%s through %s: %q found=%v %v", r.PK, r.SK, id, got.Val(), ok, err)
			}
		}
		if got, _, err := c.get(id, again.PK, again.SK); err != nil || got.Val() != "back" {
			t.Fatalf("rewritten %s/%s through %s: %q %v", again.PK, again.SK, id, got.Val(), err)
		}
	}
}

var _ = rt.NodeID("")
