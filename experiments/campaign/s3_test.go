package campaign

import (
	"testing"
	"time"

	"github.com/gogarage/garage/node/garage"
)

// TestS3WorkloadPasses runs the S3 workloads on a few seeds with the
// node's protections on: every request goes through the HTTP handler
// with SigV4, and no gating check fails.
func TestS3WorkloadPasses(t *testing.T) {
	for _, wl := range []string{WorkloadS3, WorkloadS3List} {
		for seed := uint64(1); seed <= 2; seed++ {
			res, err := Run(Gen(seed, wl, "partition", Options{Fsync: true}))
			if err != nil || res.Failed() {
				t.Errorf("%s seed %d: %v, results %+v", wl, seed, err, res.Results)
			}
		}
	}
}

// TestNoRedoCaughtUnderSkew is the negative control of the optimistic
// object write: without the redo on a newer version, writes through nodes
// whose clocks are skewed lose to older ones, and the checker must see it
// in most runs; the same runs with the redo pass.
func TestNoRedoCaughtUnderSkew(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2×12 simulations")
	}
	const seeds = 12
	caught := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		sc := Gen(seed, WorkloadS3, "none", Options{Fsync: true, Controls: garage.Controls{NoTimestampRedo: true}})
		sc.Skew = 5 * time.Second
		res, err := Run(sc)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if res.Failed() {
			caught++
		}
		safe := sc
		safe.Cluster.Controls.NoTimestampRedo = false
		if res, err := Run(safe); err != nil || res.Failed() {
			t.Errorf("seed %d with the redo: %v, results %+v", seed, err, res.Results)
		}
	}
	t.Logf("no-redo caught in %d of %d runs", caught, seeds)
	if caught*2 <= seeds {
		t.Errorf("no-redo caught in %d of %d runs, want more than half", caught, seeds)
	}
}
