package campaign

import (
	"os"
	"runtime/debug"
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
				res, err := Run(Gen(uint64(i+1), wl, "all", Options{Fsync: true}))
				if err != nil {
					b.Fatal(err)
				}
				steps, ops, virt = steps+res.Steps, ops+res.OpCount, virt+res.Virtual
			}
			b.ReportMetric(float64(steps)/float64(b.N), "steps/run")
			b.ReportMetric(float64(ops)/float64(b.N), "ops/run")
			b.ReportMetric(virt.Seconds()/float64(b.N), "vsec/run")
		})
	}
}

// BenchmarkSimRealTime measures how much faster than real time the
// simulator runs five assembled nodes (RF 3, 100 ms RTT ± 20 ms) under
// about 100 operations per second: 20 closed-loop clients with 70 ms of
// think time, the register workload, no fault. It reports virtual seconds
// per wall second of simulation (x-realtime; the checks are not timed),
// the virtual operation rate, scheduling steps per operation and the cost
// of a step. It runs under garage-sim's GC setting (GCPercent) unless GOGC
// is set: GOGC=100 measures under Go's default.
func BenchmarkSimRealTime(b *testing.B) {
	defer simGC()()
	var virt, wall time.Duration
	var steps uint64
	var ops int
	for i := range b.N {
		sc := Default(uint64(i + 1))
		sc.Register.Clients, sc.Register.OpsPerClient, sc.Register.Think = 20, 500, 70*time.Millisecond
		res, err := Run(sc)
		if err != nil {
			b.Fatal(err)
		}
		virt, wall, steps, ops = virt+res.Virtual, wall+res.SimWall, steps+res.Steps, ops+res.OpCount
	}
	b.ReportMetric(float64(virt)/float64(wall), "x-realtime")
	b.ReportMetric(float64(ops)/virt.Seconds(), "vops/s")
	b.ReportMetric(float64(steps)/float64(ops), "steps/op")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(steps), "ns/step")
}

// BenchmarkSimBackground measures what five idle assembled nodes cost the
// simulator: membership, layout polls, Merkle updates and anti-entropy,
// under one client doing an operation every 2 s, as wall time per
// simulated second (wall-us/vs) and scheduling steps per simulated second.
// It runs under GCPercent unless GOGC is set, as BenchmarkSimRealTime does.
func BenchmarkSimBackground(b *testing.B) {
	defer simGC()()
	var virt, wall time.Duration
	var steps uint64
	for i := range b.N {
		sc := Default(uint64(i + 1))
		sc.Register.Clients, sc.Register.OpsPerClient, sc.Register.Think = 1, 200, 2*time.Second
		res, err := Run(sc)
		if err != nil {
			b.Fatal(err)
		}
		virt, wall, steps = virt+res.Virtual, wall+res.SimWall, steps+res.Steps
	}
	b.ReportMetric(float64(wall.Microseconds())/virt.Seconds(), "wall-us/vs")
	b.ReportMetric(float64(steps)/virt.Seconds(), "steps/vs")
}

// simGC sets garage-sim's GC setting (GCPercent) unless GOGC is set, and
// returns what restores the previous one.
func simGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(GCPercent)
	return func() { debug.SetGCPercent(old) }
}
