package campaign

import (
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// Workload names.
const (
	WorkloadRegister = "register"
	WorkloadSet      = "set"
)

// Workloads lists the workload names.
func Workloads() []string {
	return []string{WorkloadRegister, WorkloadSet, WorkloadObject, WorkloadObjectList, WorkloadS3, WorkloadS3List}
}

// Scenario is one run: a workload against a simulated cluster of assembled
// nodes under a nemesis class.
type Scenario struct {
	Seed     uint64
	Cluster  simcluster.Config
	Workload string // WorkloadRegister or WorkloadSet
	Register workload.RegisterWorkload
	Set      workload.SetWorkload
	Nemesis  string         // class name (see NemesisNames)
	Timing   nemesis.Timing // fault schedule shape
	// Skew, if non-zero, offsets each node's wall clock at the start by a
	// value drawn uniformly from [-Skew, +Skew].
	Skew time.Duration
	// Fsync makes every metadata commit durable (metadata_fsync); without
	// it a crash loses the commits since the last sync.
	Fsync bool
	// SafetyDeadline bounds the safety phase in virtual time (10 min if 0).
	SafetyDeadline time.Duration
	// FinalDeadline bounds the final reads in virtual time (2 min if 0).
	FinalDeadline time.Duration
	// Settle is the quiet time after the heal and after the final reads
	// (3 s if 0): in-flight operations end, read repairs land.
	Settle time.Duration
	// ConvergeDeadline bounds, in virtual time, the wait for the layout to
	// settle and the replicas to agree after the final reads (2 min if 0).
	ConvergeDeadline time.Duration
	// Registry resolves Nemesis; nil means the built-in classes plus
	// "layout" and "mode-flip".
	Registry *nemesis.Registry
}

// Default is the register scenario of the quick start: five nodes in
// one zone, RF 3, 100 ms RTT ± 20 ms, no fault.
func Default(seed uint64) Scenario {
	return Scenario{Seed: seed, Cluster: simcluster.Default(), Workload: WorkloadRegister,
		Register: workload.DefaultRegisterWorkload(), Set: workload.DefaultSetWorkload(), Nemesis: "none",
		Fsync: true}
}

// Mode returns the scenario's consistency mode.
func (sc Scenario) Mode() table.Mode { return sc.Cluster.Mode }

// Result is what one run produced and what the checks found.
type Result struct {
	Scenario  Scenario
	TraceHash uint64
	Steps     uint64
	Virtual   time.Duration
	Wall      time.Duration // the whole run, checks included
	SimWall   time.Duration // the simulation alone (boot, both phases)
	Ops       []workload.Op // with latencies; dropped by campaigns for passing runs
	OpCount   int           // operations recorded, final ones included
	Events    int           // nemesis events recorded
	History   checker.History
	Results   []checker.Result // CheckAll, then convergence
	Faults    []sim.FaultStat  // failpoints armed or hit during the run
}

// Failed reports whether a gating check failed.
func (r Result) Failed() bool {
	for _, c := range r.Results {
		if c.Gate() && !c.OK {
			return true
		}
	}
	return false
}

func (sc Scenario) withDefaults() Scenario {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&sc.SafetyDeadline, 10*time.Minute)
	def(&sc.FinalDeadline, 2*time.Minute)
	def(&sc.Settle, 3*time.Second)
	def(&sc.ConvergeDeadline, 2*time.Minute)
	if sc.Timing == (nemesis.Timing{}) {
		sc.Timing = nemesis.DefaultTiming()
	}
	if sc.Nemesis == "" {
		sc.Nemesis = "none"
	}
	return sc
}

// GCPercent is the garbage collector setting garage-sim runs worlds with
// (unless GOGC is set): a world allocates small objects fast and keeps
// little live data, so collecting less often than Go's default of 100
// makes runs faster. BenchmarkSimRealTime measures under it too.
const GCPercent = 400

func (sc Scenario) simConfig() sim.Config {
	return sim.Config{Seed: sc.Seed, Scenario: sc.Workload + "/" + sc.Nemesis, SyncOnCommit: sc.Fsync}
}

func (sc Scenario) clients() int {
	if sc.isSet() {
		return sc.Set.Clients
	}
	return sc.Register.Clients
}

func (sc Scenario) think() time.Duration {
	if sc.isSet() {
		return sc.Set.Think
	}
	return sc.Register.Think
}

func (sc Scenario) opsPerClient() int {
	if sc.isSet() {
		return sc.Set.OpsPerClient
	}
	return sc.Register.OpsPerClient
}
