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
	t := simRuns(b, 20, 500, 70*time.Millisecond)
	b.ReportMetric(float64(t.virt)/float64(t.wall), "x-realtime")
	b.ReportMetric(float64(t.ops)/t.virt.Seconds(), "vops/s")
	b.ReportMetric(float64(t.steps)/float64(t.ops), "steps/op")
	b.ReportMetric(float64(t.wall.Nanoseconds())/float64(t.steps), "ns/step")
}

// BenchmarkSimBackground measures what five idle assembled nodes cost the
// simulator: membership, Merkle updates and anti-entropy, under one client
// doing an operation every 2 s, as wall time per simulated second
// (wall-us/vs) and scheduling steps per simulated second. It runs under
// GCPercent unless GOGC is set, as BenchmarkSimRealTime does.
func BenchmarkSimBackground(b *testing.B) {
	t := simRuns(b, 1, 200, 2*time.Second)
	b.ReportMetric(float64(t.wall.Microseconds())/t.virt.Seconds(), "wall-us/vs")
	b.ReportMetric(float64(t.steps)/t.virt.Seconds(), "steps/vs")
}

// BenchmarkSimBoot measures what every run pays before and after its
// traffic: five assembled nodes boot, the operator applies their layout,
// the tables' first anti-entropy passes run, the 20 clients of
// BenchmarkSimRealTime do one operation each, and the liveness phase reads
// every node's digests until they agree. It reports wall milliseconds and
// scheduling steps per run (the part of BenchmarkSimRealTime's wall time
// that does not grow with its operations).
func BenchmarkSimBoot(b *testing.B) {
	t := simRuns(b, 20, 1, 70*time.Millisecond)
	b.ReportMetric(float64(t.wall.Microseconds())/1000/float64(b.N), "wall-ms/run")
	b.ReportMetric(float64(t.steps)/float64(b.N), "steps/run")
	b.ReportMetric(t.virt.Seconds()/float64(b.N), "vsec/run")
}

// simTotals sums b.N simulated runs.
type simTotals struct {
	virt, wall time.Duration // virtual time, and wall time of the simulation alone
	steps      uint64
	ops        int
}

// simRuns runs b.N default scenarios (seeds 1…b.N) with the register
// workload's clients, operations per client and think time set, under
// garage-sim's GC setting, and returns their totals.
func simRuns(b *testing.B, clients, ops int, think time.Duration) simTotals {
	defer simGC()()
	var t simTotals
	for i := range b.N {
		sc := Default(uint64(i + 1))
		sc.Register.Clients, sc.Register.OpsPerClient, sc.Register.Think = clients, ops, think
		res, err := Run(sc)
		if err != nil {
			b.Fatal(err)
		}
		t.virt, t.wall, t.steps, t.ops = t.virt+res.Virtual, t.wall+res.SimWall, t.steps+res.Steps, t.ops+res.OpCount
	}
	return t
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
