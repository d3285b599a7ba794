package catalog

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/realproc"
	"github.com/gogarage/garage/experiments/results"
)

// buildGarage builds cmd/garage into dir.
func buildGarage(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "garage")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gogarage/garage/cmd/garage").CombinedOutput()
	if err != nil {
		t.Fatalf("go build cmd/garage: %v\n%s", err, out)
	}
	return bin
}

// TestTargetOnLoopback runs experiments with --target against a cluster
// started as garage-sim cluster up starts one (realproc.StartCluster:
// detached processes on loopback, three storage nodes over three zones and
// two spares, 20 ms ± 4 ms between zones, a bucket and an access key),
// through the target file cluster up writes, as if it were remote:
// latency and fidelity measure it through its S3 endpoints, rebalance
// changes its layout as the file allows, zone-failure refuses without
// commands, and every node still runs at the end — the experiments
// started and killed nothing.
func TestTargetOnLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five garage processes for about a minute")
	}
	t.Parallel()
	bin := buildGarage(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rtt, jitter := 20*time.Millisecond, 4*time.Millisecond
	info, err := realproc.StartCluster(ctx, realproc.Options{Garage: bin, Nodes: 5, Spares: 2, Zones: 3, RF: 3,
		Mode: "consistent", RTT: rtt, Jitter: jitter, S3: true, Bucket: "experiments", KeyName: "experiments", Seed: 1}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer realproc.StopCluster(info)
	path := filepath.Join(info.Dir, "target.toml")
	if err := lab.WriteTargetFile(path, info, rtt, jitter); err != nil {
		t.Fatal(err)
	}
	target, err := lab.ReadTarget(path)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	run := func(name string) lab.Outcome {
		e, err := All().Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		o := lab.Run(ctx, e, lab.Options{World: results.Target, Target: target, Quick: true, Samples: 5, Seed: 1,
			Out: out, Log: &log, Progress: io.Discard})
		t.Logf("%s:\n%s", name, log.String())
		return o
	}
	checkTargetLatency(t, run("latency"))
	if o := run("fidelity"); o.Err != nil {
		t.Errorf("fidelity: %v", o.Err)
	}
	if o := run("zone-failure"); o.Err == nil || !strings.Contains(o.Err.Error(), "zone_failure") {
		t.Errorf("zone-failure without commands: %v, want a refusal naming [zone_failure]", o.Err)
	}
	checkTargetRebalance(t, run("rebalance"))
	for _, n := range info.Nodes {
		if !n.Running() {
			t.Errorf("node %s no longer runs after the target experiments", n.Name)
		}
	}
}

func checkTargetLatency(t *testing.T, o lab.Outcome) {
	t.Helper()
	if o.Err != nil {
		t.Fatalf("latency: %v", o.Err)
	}
	b, err := os.ReadFile(filepath.Join(o.Dir, "latency.csv"))
	if err != nil || !strings.Contains(string(b), "GetObject,gogarage (target),S3 GetObject via HTTP,5,0") {
		t.Errorf("latency.csv of the target (%v):\n%s", err, b)
	}
	for _, g := range o.Goals {
		if g.Subject == "GetObject" && !g.Met() {
			t.Errorf("%v at 20 ms RTT", g)
		}
	}
}

func checkTargetRebalance(t *testing.T, o lab.Outcome) {
	t.Helper()
	if o.Err != nil {
		t.Fatalf("rebalance: %v", o.Err)
	}
	for _, g := range o.Goals {
		if !g.Met() {
			t.Errorf("rebalance on the target: %v", g)
		}
	}
}
