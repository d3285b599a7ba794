package table

import (
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
)

// syncCfg runs the workers fast enough for tests.
var syncCfg = Config{SyncInterval: 30 * time.Second, SyncRetry: 2 * time.Second, LayoutPoll: time.Second}

func rowsN(pk string, n int, ts uint64) []row {
	out := make([]row, n)
	for i := range out {
		out[i] = mkRow(fmt.Sprintf("%s%d", pk, i%17), fmt.Sprint(i), ts, "v")
	}
	return out
}

// TestAntiEntropyConvergesAfterPartition cuts a zone off, writes through
// the other two, heals, and waits until every partition's replicas have
// equal Merkle roots. It reports the virtual time convergence took.
func TestAntiEntropyConvergesAfterPartition(t *testing.T) {
	worst, seeds := time.Duration(0), uint64(3)
	if *long {
		seeds = 30
	}
	for seed := range seeds {
		c := newCluster(t, clusterOpts{seed: seed + 10, nodes: 6, cfg: syncCfg})
		cut := c.w.Network().IsolateZone("z3")
		must(t, c.insert("n1", rowsN("p", 300, 10)...))
		if c.converged() {
			t.Fatal("converged while a zone missed the writes: the check cannot fail")
		}
		c.w.Network().Heal(cut)
		healed := c.w.Now()
		must(t, c.w.RunUntil(c.converged, 5*time.Minute))
		took := c.w.Now() - healed
		worst = max(worst, took)
		for _, id := range []string{"n3", "n6"} {
			if n := c.localCount(node(id)); n == 0 {
				t.Errorf("seed %d: %s holds nothing after convergence", seed, id)
			}
		}
	}
	t.Logf("convergence after heal: worst %v of virtual time (SyncInterval %v)", worst, syncCfg.SyncInterval)
	if worst > syncCfg.SyncInterval+10*time.Second {
		t.Errorf("convergence took %v, more than a sync interval and a retry", worst)
	}
}

// TestCrashedReplicaCatchesUp crashes a node, writes, restarts it and
// waits for it to hold everything it should.
func TestCrashedReplicaCatchesUp(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 20, nodes: 5, cfg: syncCfg})
	must(t, c.insert("n1", rowsN("a", 100, 10)...))
	must(t, c.w.RunUntil(c.converged, time.Minute))
	c.w.Crash("n2")
	must(t, c.insert("n1", rowsN("b", 200, 10)...))
	c.w.Restart("n2")
	start := c.w.Now()
	must(t, c.w.RunUntil(c.converged, 5*time.Minute))
	t.Logf("restarted replica caught up in %v of virtual time", c.w.Now()-start)
	want := 0
	for _, r := range append(rowsN("a", 100, 10), rowsN("b", 200, 10)...) {
		for _, id := range c.replicas(r.PK) {
			if id == "n2" {
				want++
			}
		}
	}
	if got := c.localCount("n2"); got != want {
		t.Fatalf("n2 holds %d entries, want %d", got, want)
	}
}

// TestOffloadAfterLayoutChange adds n6 and removes n1, then checks that
// n1 ends with nothing, every entry is still readable, replicas of the new
// version agree, and the sync trackers retired the old version.
func TestOffloadAfterLayoutChange(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 30, nodes: 5, extra: 1, cfg: syncCfg})
	rows := rowsN("k", 300, 10)
	must(t, c.insert("n2", rows...))
	must(t, c.w.RunUntil(c.converged, time.Minute))
	before := c.localCount("n1")
	must(t, c.st.Update(replaceN1ByN6))
	start := c.w.Now()
	retired := func() bool {
		h := c.st.History()
		return len(h.Versions) == 1 && c.localCount("n1") == 0 && c.converged()
	}
	must(t, c.w.RunUntil(retired, 5*time.Minute))
	t.Logf("n1 offloaded %d entries; version 1 retired after %v of virtual time", before, c.w.Now()-start)
	if before == 0 || c.localCount("n6") == 0 {
		t.Fatalf("n1 held %d entries before, n6 holds %d after", before, c.localCount("n6"))
	}
	for _, r := range rows {
		got, ok, err := c.get("n6", r.PK, r.SK)
		if err != nil || !ok || got.Val() != "v" {
			t.Fatalf("read %s/%s after the move: %+v %v %v", r.PK, r.SK, got, ok, err)
		}
	}
}

// replaceN1ByN6 removes n1's role and gives n6 one in n1's zone, in
// layout version 2.
func replaceN1ByN6(h *layout.History) error {
	if err := h.Remove("n1", 3); err != nil {
		return err
	}
	if err := h.Assign("n6", layout.StorageRole("z1", 1e12), 3); err != nil {
		return err
	}
	_, err := h.Apply(2, 4)
	return err
}
