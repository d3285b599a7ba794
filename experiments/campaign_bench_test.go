package experiments

import (
	"testing"
	"time"
)

// BenchmarkScenario measures one campaign run (safety and liveness phases
// and every check) per workload under the "all" nemesis: wall time per
// run, scheduling steps, operations and virtual seconds per run.
func BenchmarkScenario(b *testing.B) {
	for _, wl := range []string{WorkloadRegister, WorkloadSet} {
		b.Run(wl, func(b *testing.B) {
			var steps uint64
			var ops int
			var virt time.Duration
			for i := range b.N {
				res, err := RunScenario(GenScenario(uint64(i+1), wl, "all", CampaignOptions{Fsync: true}))
				if err != nil {
					b.Fatal(err)
				}
				steps, ops, virt = steps+res.Steps, ops+res.Ops, virt+res.Virtual
			}
			b.ReportMetric(float64(steps)/float64(b.N), "steps/run")
			b.ReportMetric(float64(ops)/float64(b.N), "ops/run")
			b.ReportMetric(virt.Seconds()/float64(b.N), "vsec/run")
		})
	}
}
