package sim

import (
	"runtime"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/sim/simtest"
)

// roughNet is the determinism scenario's network: jitter, loss,
// duplication and a bandwidth limit, so every path of the simulated
// network is exercised.
func roughNet() *netem.Model {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), 2*time.Millisecond)
	m.SetJitter(netem.AllLinks(), netem.Uniform{Width: 2 * time.Millisecond})
	m.SetLoss(netem.AllLinks(), 0.02)
	m.SetDup(netem.AllLinks(), 0.01)
	m.SetBandwidth(netem.AllLinks(), 1e6)
	return m
}

// roughHash runs the ping-pong scenario over roughNet and returns its trace
// hash.
func roughHash(t testing.TB, seed uint64) uint64 {
	w := New(Config{Seed: seed, Net: roughNet(), Scenario: "pingpong"})
	defer w.Close()
	pingPong(w, 5, time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	return w.TraceHash()
}

func TestSameSeedSameHash(t *testing.T) {
	for _, seed := range []uint64{1, 2, 99} {
		a, b := roughHash(t, seed), roughHash(t, seed)
		if a != b {
			t.Errorf("seed %d: hashes %016x and %016x differ", seed, a, b)
		}
	}
}

func TestSeedsGiveDistinctHashes(t *testing.T) {
	seen := map[uint64]uint64{}
	for seed := uint64(1); seed <= 50; seed++ {
		seen[roughHash(t, seed)] = seed
	}
	if got := len(seen); got < 49 {
		t.Errorf("50 seeds gave %d distinct hashes, want >= 49", got)
	}
}

// TestGoldenHash pins the trace of one seed over the default network, so
// that a run built with -race or on another machine is compared with the
// same figure. A deliberate change of the scheduler updates the constant.
func TestGoldenHash(t *testing.T) {
	const want = 0x40dbb59dce2e24b0
	if got, _ := runPingPong(t, 1); got != want {
		t.Errorf("seed 1 hash = %016x, want %016x (update the constant only for a deliberate scheduler change)", got, uint64(want))
	}
}

const childSeedEnv = "SIM_TEST_CHILD_SEED"

// TestChildHash is the body run in child processes: it prints the hash of
// the seed named by the environment.
func TestChildHash(t *testing.T) {
	seed, ok := simtest.ChildSeed(t, childSeedEnv)
	if !ok {
		t.Skip("only runs as a child of TestHashAcrossProcesses")
	}
	simtest.PrintHash(roughHash(t, seed))
}

func TestHashAcrossProcesses(t *testing.T) {
	if _, child := simtest.ChildSeed(t, childSeedEnv); child {
		t.Skip("in a child")
	}
	const seed = 7
	simtest.HashAcrossProcesses(t, childSeedEnv, "TestChildHash", seed, roughHash(t, seed))
}

func TestNoGoroutineLeak(t *testing.T) {
	base := runtime.NumGoroutine()
	for seed := uint64(1); seed <= 3; seed++ {
		w := New(Config{Seed: seed})
		pingPong(w, 4, time.Second)
		if err := w.RunFor(400 * time.Millisecond); err != nil { // stop mid-run: tasks parked everywhere
			t.Fatal(err)
		}
		w.Close()
	}
	if got := settleGoroutines(base); got > base {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d after Close, %d before\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
}

// settleGoroutines gives exiting goroutines a moment to finish and returns
// the count once it reaches base or stops falling.
func settleGoroutines(base int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > base; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}
