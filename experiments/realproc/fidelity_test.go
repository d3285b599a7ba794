package realproc

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/workload"
)

// BenchmarkSameAssemblyBothWorlds runs the register workload on five
// assembled nodes in the simulator and, once per iteration, on five garage
// server processes over loopback shaped by netem to the same 100 ms ±
// 20 ms. It reports the mean latency of each operation kind in both worlds
// and their ratio: the same node code measured in both worlds, so the
// ratio should be close to 1 (it was within 10 % when this was a test; a
// busy machine makes the real side slower; garage-sim compare prints the
// same figures). Each iteration starts five processes for about 15 s: run
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
	o.RTT, o.Jitter, o.Kills, o.Duration, o.Fsync, o.Seed = c.RTT, c.Jitter, 0, 0, true, sc.Seed
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
