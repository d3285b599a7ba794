package experiments

import (
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// Workload names.
const (
	WorkloadRegister = "register"
	WorkloadSet      = "set"
)

// Scenario is one run of a campaign: a workload under a nemesis, in a
// safety phase (workload and faults) followed by a liveness phase (heal
// everything, let the cluster settle, read every key, let read repair
// finish, compare the replicas).
type Scenario struct {
	RegisterConfig                // topology, mode, timestamps, register workload, initial skew
	WorkloadName   string         // WorkloadRegister or WorkloadSet
	Set            SetWorkload    // the set workload's parameters
	Nemesis        string         // class name in Registry
	Timing         nemesis.Timing // fault schedule shape
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
	// Registry resolves Nemesis; nil means nemesis.NewRegistry().
	Registry *nemesis.Registry
	// SetOverRegisters backs the set workload with the register store (one
	// register per element, listings reading a fixed key space) instead of
	// the generic table's range reads: a cross-check of the two.
	SetOverRegisters bool
	// Spares is how many of the Nodes start without a role in the set
	// table's layout, for the layout nemesis to add.
	Spares int
	// SingleVersionLayout is the negative control of multi-version
	// layouts: the set table reads and writes the newest layout version
	// only, even during a transition.
	SingleVersionLayout bool
	// ConvergeDeadline bounds, in virtual time, the wait for replicas to
	// agree after the final reads (1 min if 0).
	ConvergeDeadline time.Duration
}

// ScenarioResult is what one scenario run produced and what the checks
// found.
type ScenarioResult struct {
	Scenario  Scenario
	TraceHash uint64
	Steps     uint64
	Virtual   time.Duration
	Wall      time.Duration
	Ops       int // operations recorded, final ones included
	Events    int // nemesis events recorded
	History   checker.History
	Results   []checker.Result // CheckAll, then convergence
	Faults    []sim.FaultStat  // failpoints armed or hit during the run
}

// Failed reports whether a gating check failed.
func (r ScenarioResult) Failed() bool {
	for _, c := range r.Results {
		if c.Gate() && !c.OK {
			return true
		}
	}
	return false
}

// scenarioRun is the state of one run inside its world.
type scenarioRun struct {
	sc     Scenario
	w      *sim.World
	ids    []rt.NodeID
	stores []*table.Store
	ring   *table.Ring            // the register store's replication
	tabs   []*table.Table[setRow] // set workload only
	st     *table.Static          // the set table's layout
	h      *History
	x      *nemesis.Exec
}

// RunScenario runs sc in a new world and judges its history.
func RunScenario(sc Scenario) (ScenarioResult, error) {
	start := time.Now()
	w := sim.New(sc.simConfig())
	defer w.Close()
	run, digests, err := DriveScenario(sc, w)
	res := ScenarioResult{Scenario: sc, TraceHash: w.TraceHash(), Steps: w.Steps(), Virtual: w.Now(),
		Faults: w.FaultReport()}
	if run != nil {
		res.History, res.Events = run.h.Rec.History(), run.x.Events()
		res.Ops = len(res.History.Ops)
	}
	if err != nil {
		res.Wall = time.Since(start)
		return res, err
	}
	res.Results, err = checker.CheckAll(res.History, checker.Options{})
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	res.Results = append(res.Results, checker.Convergence(digests))
	res.Wall = time.Since(start)
	return res, nil
}

func (sc Scenario) simConfig() sim.Config {
	return sim.Config{Seed: sc.Seed, Scenario: sc.WorkloadName + "/" + sc.Nemesis, SyncOnCommit: sc.Fsync}
}

// LockstepScenario runs sc twice in lockstep and returns the first
// diverging step, or nil.
func LockstepScenario(sc Scenario) (*sim.Divergence, error) {
	return sim.LockstepConfig(sc.simConfig(), func(w *sim.World) error {
		_, _, err := DriveScenario(sc, w)
		return err
	})
}

// DriveScenario runs both phases of sc in w and returns the run (whose
// history holds the operations and nemesis events) and the replicas'
// digests at the end.
func DriveScenario(sc Scenario, w *sim.World) (*scenarioRun, checker.Digests, error) {
	sc = sc.withDefaults()
	run, err := bootScenario(sc, w)
	if err != nil {
		return nil, nil, err
	}
	nem, err := run.registryFor().Lookup(sc.Nemesis)
	if err != nil {
		return nil, nil, err
	}
	if err := run.safety(nem); err != nil {
		return run, nil, fmt.Errorf("safety phase: %w", err)
	}
	digests, err := run.liveness()
	if err != nil {
		return run, nil, fmt.Errorf("liveness phase: %w", err)
	}
	return run, digests, nil
}

func (sc Scenario) withDefaults() Scenario {
	if sc.SafetyDeadline <= 0 {
		sc.SafetyDeadline = 10 * time.Minute
	}
	if sc.FinalDeadline <= 0 {
		sc.FinalDeadline = 2 * time.Minute
	}
	if sc.Settle <= 0 {
		sc.Settle = 3 * time.Second
	}
	if sc.ConvergeDeadline <= 0 {
		sc.ConvergeDeadline = time.Minute
	}
	if sc.Timing == (nemesis.Timing{}) {
		sc.Timing = nemesis.DefaultTiming()
	}
	return sc
}

func bootScenario(sc Scenario, w *sim.World) (*scenarioRun, error) {
	run := &scenarioRun{sc: sc, w: w}
	var also func(int, rt.Env)
	if sc.WorkloadName == WorkloadSet && !sc.SetOverRegisters {
		if err := run.planSetTable(); err != nil {
			return nil, err
		}
		also = func(i int, env rt.Env) {
			run.tabs[i] = table.Open(env, setSchema(), run.layoutFor(env.ID), tableConfig())
		}
	}
	run.ids, run.stores, run.ring = bootRegisterWith(sc.RegisterConfig, w, also)
	booted := func() bool { return !slices.Contains(run.stores, nil) && !slices.Contains(run.tabs, nil) }
	if err := w.RunUntil(booted, time.Second); err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	skewClocks(w, run.ids, sc.Skew)
	if sc.Setup != nil {
		sc.Setup(w)
	}
	run.h = NewHistory(map[string]string{"scenario": sc.WorkloadName, "nemesis": sc.Nemesis,
		"seed": fmt.Sprint(sc.Seed), "mode": sc.Mode.String(), "naive-ts": fmt.Sprint(sc.NaiveTimestamps)})
	run.x = nemesis.NewExec(w, func(kind, desc string) { run.h.Rec.Nemesis(kind, desc) })
	return run, nil
}

// planSetTable builds the set table's layout over the scenario's nodes.
func (r *scenarioRun) planSetTable() error {
	ids := nodeIDs(r.sc.Nodes)
	zones := make([]string, len(ids))
	for i := range ids {
		zones[i] = r.sc.zone(i)
	}
	members := max(len(ids)-r.sc.Spares, min(r.sc.RF, len(ids)))
	st, err := setLayout(ids[:members], zones[:members], min(r.sc.RF, len(ids)), r.sc.Mode)
	r.st, r.tabs = st, make([]*table.Table[setRow], len(ids))
	return err
}

// safety runs the workload under the nemesis's schedule until every client
// is done, then stops the schedule.
func (r *scenarioRun) safety(nem nemesis.Nemesis) error {
	eps := nemesis.Plan(nem, r.w.Rand("nemesis"), nemesis.TopologyOf(r.w), r.span(), r.sc.Timing)
	runner := nemesis.Start(r.w, r.x, eps)
	done := r.startClients()
	err := r.w.RunUntil(func() bool { return *done == r.clients() }, r.sc.SafetyDeadline)
	runner.Stop()
	return err
}

// span estimates the safety phase's length, to plan faults over it.
func (r *scenarioRun) span() time.Duration {
	per := r.sc.think() + 300*time.Millisecond
	return max(2*time.Second, time.Duration(r.sc.opsPerClient())*per)
}

// liveness heals everything, lets the cluster settle, reads every key,
// waits for the replicas to agree (read repair, anti-entropy) or the
// deadline, and returns their digests.
func (r *scenarioRun) liveness() (checker.Digests, error) {
	r.x.Heal()
	if err := r.w.RunFor(r.sc.Settle); err != nil {
		return nil, err
	}
	done := r.startFinal()
	if err := r.w.RunUntil(func() bool { return *done }, r.sc.FinalDeadline); err != nil {
		return nil, fmt.Errorf("final reads: %w", err)
	}
	if err := r.w.RunFor(r.sc.Settle); err != nil {
		return nil, err
	}
	return r.converge()
}

// converge polls the replicas' digests every second until they agree or
// ConvergeDeadline passes, and returns the last ones.
func (r *scenarioRun) converge() (checker.Digests, error) {
	deadline := r.w.Now() + r.sc.ConvergeDeadline
	for {
		d, err := r.digests()
		if err != nil || checker.Convergence(d).OK || r.w.Now() >= deadline {
			return d, err
		}
		if err := r.w.RunFor(time.Second); err != nil {
			return nil, err
		}
	}
}
