package campaign

import (
	"testing"

	"github.com/gogarage/garage/sim/simtest"
)

// determinismScenario is the run the determinism tests fingerprint:
// assembled nodes over three zones under every nemesis class and layout
// changes, the set workload (range reads, listings) — the widest path
// through the node code.
func determinismScenario(seed uint64) Scenario {
	return Gen(seed, WorkloadSet, "all", Options{Fsync: true})
}

func hashOf(t testing.TB, seed uint64) uint64 {
	res, err := Run(determinismScenario(seed))
	if err != nil {
		t.Fatal(err)
	}
	return res.TraceHash
}

func TestAssembledSameSeedSameHash(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		if a, b := hashOf(t, seed), hashOf(t, seed); a != b {
			t.Errorf("seed %d: hashes %016x and %016x differ", seed, a, b)
		}
	}
}

func TestAssembledSeedsGiveDistinctHashes(t *testing.T) {
	seen := map[uint64]bool{}
	for seed := uint64(1); seed <= 10; seed++ {
		seen[hashOf(t, seed)] = true
	}
	if len(seen) < 10 {
		t.Errorf("10 seeds gave %d distinct hashes", len(seen))
	}
}

const childSeedEnv = "CAMPAIGN_TEST_CHILD_SEED"

// TestAssembledChildHash is the body run in child processes: it prints the
// hash of the seed named by the environment.
func TestAssembledChildHash(t *testing.T) {
	seed, ok := simtest.ChildSeed(t, childSeedEnv)
	if !ok {
		t.Skip("only runs as a child of TestAssembledHashAcrossProcesses")
	}
	simtest.PrintHash(hashOf(t, seed))
}

// TestAssembledHashAcrossProcesses runs the same seed in child processes
// with GOMAXPROCS 1, 2 and 8: every child prints the parent's hash.
func TestAssembledHashAcrossProcesses(t *testing.T) {
	if _, child := simtest.ChildSeed(t, childSeedEnv); child {
		t.Skip("in a child")
	}
	const seed = 7
	simtest.HashAcrossProcesses(t, childSeedEnv, "TestAssembledChildHash", seed, hashOf(t, seed))
}
