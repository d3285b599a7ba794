package realproc

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/workload"
)

// TestSameAssemblyBothWorlds is issue 8's proof that the same assembly
// runs in both worlds: the register workload on five assembled nodes in
// the simulator and on five garage server processes over loopback shaped
// by netem to the same 100 ms ± 20 ms; each operation kind's mean latency
// must agree within 10 %. It is the one test of the project that reads
// real time, because the acceptance asks for exactly this comparison; the
// means are dominated by the injected delays (about 100 and 200 ms), and
// a kind outside the bound gets one more real run before failing. The
// figures themselves are BenchmarkSameAssemblyBothWorlds's and those of
// garage-sim experiment fidelity.
func TestSameAssemblyBothWorlds(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five garage processes for about 15 s")
	}
	kinds := []string{"get", "put", "delete"}
	sc := campaign.Default(11)
	sc.Register.OpsPerClient, sc.Fsync = 30, false // the simulator charges no fsync time: compare without
	simRes, err := campaign.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	sim := byKind(workload.Summarise(simRes.Ops, kinds...))
	worst := 0.0
	for attempt := range 2 {
		real := byKind(workload.Summarise(realRun(t, sc).Ops, kinds...))
		if worst = worstRatio(t, sim, real, kinds); worst <= 0.10 {
			return
		}
		t.Logf("attempt %d: a mean differs by %.1f %%", attempt, 100*worst)
	}
	t.Errorf("a mean latency differs by %.1f %% between the simulator and real processes, want ≤ 10 %%", 100*worst)
}

// worstRatio logs both worlds' means per kind and returns the largest
// relative difference.
func worstRatio(t *testing.T, sim, real map[string]workload.Stats, kinds []string) float64 {
	worst := 0.0
	for _, k := range kinds {
		s, r := sim[k], real[k]
		if s.N == 0 || r.N == 0 {
			t.Fatalf("%s: %d simulated and %d real samples", k, s.N, r.N)
		}
		ratio := float64(r.Mean) / float64(s.Mean)
		worst = max(worst, abs(ratio-1))
		t.Logf("%-6s sim mean %6.1f ms  real mean %6.1f ms  real/sim %.3f", k, ms(s.Mean), ms(r.Mean), ratio)
	}
	return worst
}

// BenchmarkSameAssemblyBothWorlds runs the register workload on five
// assembled nodes in the simulator and, once per iteration, on five garage
// server processes over loopback shaped by netem to the same 100 ms ±
// 20 ms. It reports the mean latency of each operation kind in both worlds
// and their ratio: the same node code measured in both worlds, so the
// ratio should be close to 1 (it was within 10 % when this was a test; a
// busy machine makes the real side slower; garage-sim experiment fidelity
// measures the same through S3). Each iteration starts five processes for about 15 s: run
// it with -benchtime 1x.
func BenchmarkSameAssemblyBothWorlds(b *testing.B) {
	kinds := []string{"get", "put", "delete"}
	sc := campaign.Default(11)
	sc.Register.OpsPerClient = 30
	simRes, err := campaign.Run(sc)
	if err != nil {
		b.Fatal(err)
	}
	var realOps []workload.Op
	for b.Loop() {
		realOps = append(realOps, realRun(b, sc).Ops...)
	}
	sim, real := byKind(workload.Summarise(simRes.Ops, kinds...)), byKind(workload.Summarise(realOps, kinds...))
	for _, k := range kinds {
		s, r := sim[k], real[k]
		if s.N == 0 || r.N == 0 {
			b.Fatalf("%s: %d simulated and %d real samples", k, s.N, r.N)
		}
		b.ReportMetric(ms(s.Mean), k+"-sim-ms")
		b.ReportMetric(ms(r.Mean), k+"-real-ms")
		b.ReportMetric(float64(r.Mean)/float64(s.Mean), k+"-real/sim")
	}
}

// realRun runs sc's cluster and register workload on garage processes,
// without kills, and fails tb unless every check passes.
func realRun(tb testing.TB, sc campaign.Scenario) Result {
	o := Default()
	c := sc.Cluster
	o.Garage, o.Nodes, o.Zones, o.RF, o.Mode = garageBin, c.Nodes, c.Zones, c.RF, c.Mode.String()
	o.RTT, o.Jitter, o.Kills, o.Duration, o.Fsync, o.Seed = c.RTT, c.Jitter, 0, 0, sc.Fsync, sc.Seed
	o.Workload = sc.Register
	o.Workload.OpTimeout = 10 * time.Second
	o.Log = logWriter{tb}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	if err != nil {
		tb.Fatal(err)
	}
	if res.Failed() {
		tb.Fatalf("real run failed its checks: %v", res.Results)
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

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
