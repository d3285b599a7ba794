package realproc

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/workload"
)

// TestSameAssemblyBothWorlds runs the register workload on five assembled
// nodes in the simulator and on five garage server processes over loopback
// shaped by netem to the same 100 ms ± 20 ms, and compares the mean
// latency of each operation kind: the same node code, measured in both
// worlds, must agree within 10 %. A real run on a busy machine is noisy,
// so a kind outside the bound gets one more real run before failing.
func TestSameAssemblyBothWorlds(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five garage processes for about 15 s")
	}
	sc := campaign.Default(11)
	sc.Register.OpsPerClient = 30
	simRes, err := campaign.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	sim := byKind(workload.Summarise(simRes.Ops, "get", "put", "delete"))
	var worst float64
	for attempt := range 2 {
		real := byKind(workload.Summarise(realRun(t, sc).Ops, "get", "put", "delete"))
		if worst = compare(t, sim, real, attempt); worst <= 0.10 {
			return
		}
	}
	t.Errorf("a mean latency differs by %.1f %% between the simulator and real processes, want ≤ 10 %%", 100*worst)
}

func realRun(t *testing.T, sc campaign.Scenario) Result {
	o := Default()
	c := sc.Cluster
	o.Garage, o.Nodes, o.Zones, o.RF, o.Mode = garageBin, c.Nodes, c.Zones, c.RF, c.Mode.String()
	o.RTT, o.Jitter, o.Kills, o.Duration, o.Fsync, o.Seed = c.RTT, c.Jitter, 0, 0, true, sc.Seed
	o.Workload = sc.Register
	o.Workload.OpTimeout = 10 * time.Second
	o.Log = logWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("real run failed its checks: %v", res.Results)
	}
	return res
}

func byKind(ss []workload.Stats) map[string]workload.Stats {
	m := map[string]workload.Stats{}
	for _, s := range ss {
		m[s.Kind] = s
	}
	return m
}

// compare logs both worlds' means per kind and returns the largest
// relative difference.
func compare(t *testing.T, sim, real map[string]workload.Stats, attempt int) float64 {
	worst := 0.0
	for _, k := range []string{"get", "put", "delete"} {
		s, r := sim[k], real[k]
		if s.N == 0 || r.N == 0 {
			t.Fatalf("%s: %d simulated and %d real samples", k, s.N, r.N)
		}
		ratio := float64(r.Mean) / float64(s.Mean)
		worst = max(worst, abs(ratio-1))
		t.Logf("attempt %d %-6s sim mean %6.1f ms  real mean %6.1f ms  real/sim %.3f", attempt, k,
			ms(s.Mean), ms(r.Mean), ratio)
	}
	return worst
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
