package campaign

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
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
	s := os.Getenv(childSeedEnv)
	if s == "" {
		t.Skip("only runs as a child of TestAssembledHashAcrossProcesses")
	}
	seed, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("HASH=%016x\n", hashOf(t, seed))
}

// TestAssembledHashAcrossProcesses runs the same seed in child processes
// with GOMAXPROCS 1, 2 and 8: every child prints the parent's hash.
func TestAssembledHashAcrossProcesses(t *testing.T) {
	if os.Getenv(childSeedEnv) != "" {
		t.Skip("in a child")
	}
	const seed = 7
	want := fmt.Sprintf("%016x", hashOf(t, seed))
	for _, procs := range []int{1, 2, 8} {
		if got := childHash(t, seed, procs); got != want {
			t.Errorf("GOMAXPROCS=%d: child hash %s, parent %s", procs, got, want)
		}
	}
}

// childHash re-executes the test binary with GOMAXPROCS=procs and returns
// the hash it printed.
func childHash(t *testing.T, seed uint64, procs int) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestAssembledChildHash$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", childSeedEnv, seed), fmt.Sprintf("GOMAXPROCS=%d", procs))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child GOMAXPROCS=%d: %v\n%s", procs, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if h, ok := strings.CutPrefix(line, "HASH="); ok {
			return h
		}
	}
	t.Fatalf("child GOMAXPROCS=%d printed no hash:\n%s", procs, out)
	return ""
}
