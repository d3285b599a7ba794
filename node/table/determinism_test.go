package table

import (
	"testing"
	"time"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/sim"
)

// partitionAndHeal is a scenario: a zone misses writes, heals, and the
// cluster converges by anti-entropy.
func partitionAndHeal(t *testing.T, w *sim.World) error {
	c := newClusterIn(t, w, clusterOpts{nodes: 6, cfg: syncCfg})
	cut := w.Network().IsolateZone("z2")
	if err := c.insert("n1", rowsN("d", 120, 10)...); err != nil {
		return err
	}
	w.Network().Heal(cut)
	return w.RunUntil(c.converged, 5*time.Minute)
}

// TestDeterministic runs the scenario twice in lockstep: every scheduling
// step must match, so nothing in the tables depends on map order, real
// time or global randomness.
func TestDeterministic(t *testing.T) {
	div, err := sim.LockstepConfig(sim.Config{Seed: 77, Scenario: t.Name()},
		func(w *sim.World) error { return partitionAndHeal(t, w) })
	if err != nil {
		t.Fatal(err)
	}
	if div != nil {
		t.Fatalf("runs diverge: %v", div)
	}
}

// TestConvergesDespiteSyncFaults arms the Merkle-exchange and table-sync
// failpoints on every node half of the time: passes fail and are retried
// until the replicas agree.
func TestConvergesDespiteSyncFaults(t *testing.T) {
	w := sim.New(sim.Config{Seed: 78, Scenario: t.Name()})
	defer w.Close()
	w.Arm("", fail.MerkleSync, sim.FaultSpec{Prob: 0.5, Value: fail.Err("merkle exchange lost")})
	w.Arm("", fail.TableSync, sim.FaultSpec{Prob: 0.5, Value: fail.Err("sync refused")})
	must(t, partitionAndHeal(t, w))
	hits := 0
	for _, id := range w.Nodes() {
		hits += w.FaultHits(id, fail.MerkleSync) + w.FaultHits(id, fail.TableSync)
	}
	if hits == 0 {
		t.Fatal("no failpoint fired: the test proves nothing")
	}
	t.Logf("converged after %d injected sync faults, at %v", hits, w.Now())
}
