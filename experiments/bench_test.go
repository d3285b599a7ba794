package experiments

import (
	"testing"
	"time"
)

// BenchmarkSimRealTime measures how much faster than real time the
// simulator runs a 5-node register cluster (RF 3, 100 ms RTT ± 20 ms) under
// about 100 operations per second: 20 closed-loop clients with 50 ms of
// think time. It reports virtual seconds per wall second (x-realtime), the
// virtual operation rate and the cost of a scheduling step.
func BenchmarkSimRealTime(b *testing.B) {
	var virt, wall time.Duration
	var steps uint64
	var ops int
	for i := range b.N {
		cfg := DefaultRegisterConfig(uint64(i + 1))
		cfg.Workload.Clients, cfg.Workload.OpsPerClient, cfg.Workload.Think = 20, 50, 50*time.Millisecond
		res, err := RunRegister(cfg)
		if err != nil {
			b.Fatal(err)
		}
		virt, wall, steps, ops = virt+res.Virtual, wall+res.Wall, steps+res.Steps, ops+len(res.Ops)
	}
	b.ReportMetric(float64(virt)/float64(wall), "x-realtime")
	b.ReportMetric(float64(ops)/virt.Seconds(), "vops/s")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(steps), "ns/step")
}
