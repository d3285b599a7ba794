package campaign

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// run is the state of one scenario inside its world.
type run struct {
	sc  Scenario
	w   *sim.World
	c   *simcluster.Cluster
	h   *workload.History
	x   *nemesis.Exec
	reg *nemesis.Registry
}

// Run runs sc in a new world and judges its history.
func Run(sc Scenario) (Result, error) {
	start := time.Now()
	w := sim.New(sc.simConfig())
	defer w.Close()
	r, digests, err := Drive(sc, w)
	res := Result{Scenario: sc, TraceHash: w.TraceHash(), Steps: w.Steps(), Virtual: w.Now(),
		Faults: w.FaultReport(), SimWall: time.Since(start)}
	if r != nil {
		res.History, res.Events, res.Ops = r.h.Rec.History(), r.x.Events(), r.h.Ops()
		res.OpCount = len(res.History.Ops)
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

// Lockstep runs sc twice in lockstep and returns the first diverging
// step, or nil.
func Lockstep(sc Scenario) (*sim.Divergence, error) {
	return sim.LockstepConfig(sc.simConfig(), func(w *sim.World) error {
		_, _, err := Drive(sc, w)
		return err
	})
}

// Drive runs both phases of sc in w and returns the run (whose history
// holds the operations and nemesis events) and the replicas' digests at
// the end.
func Drive(sc Scenario, w *sim.World) (*run, checker.Digests, error) {
	sc = sc.withDefaults()
	r, err := boot(sc, w)
	if err != nil {
		return nil, nil, err
	}
	nem, err := r.reg.Lookup(sc.Nemesis)
	if err != nil {
		return nil, nil, err
	}
	if err := r.safety(nem); err != nil {
		return r, nil, fmt.Errorf("safety phase: %w", err)
	}
	digests, err := r.liveness()
	if err != nil {
		return r, nil, fmt.Errorf("liveness phase: %w", err)
	}
	return r, digests, nil
}

// boot builds the cluster, skews the clocks and prepares the history and
// the nemesis.
func boot(sc Scenario, w *sim.World) (*run, error) {
	c, err := simcluster.Boot(w, sc.Cluster)
	if err != nil {
		return nil, err
	}
	r := &run{sc: sc, w: w, c: c}
	if sc.onObjects() {
		if err := r.setupS3(); err != nil {
			return nil, err
		}
	}
	skewClocks(w, c.IDs, sc.Skew)
	r.h = workload.NewHistory(map[string]string{"scenario": sc.Workload, "nemesis": sc.Nemesis,
		"seed": fmt.Sprint(sc.Seed), "mode": sc.Mode().String(),
		"naive-ts": fmt.Sprint(sc.Cluster.Controls.NaiveTimestamps), "no-redo": fmt.Sprint(sc.Cluster.Controls.NoTimestampRedo)})
	r.x = nemesis.NewExec(w, func(kind, desc string) { r.h.Rec.Nemesis(kind, desc) })
	r.reg = r.registry()
	return r, nil
}

// skewClocks offsets each node's wall clock by a draw from [-d, +d].
func skewClocks(w *sim.World, ids []rt.NodeID, d time.Duration) {
	if d <= 0 {
		return
	}
	r := w.Rand("skew")
	for _, id := range ids {
		off := time.Duration((r.Float64()*2 - 1) * float64(d))
		w.Clock(id).SetOffset(off)
	}
}

// safety runs the workload under the nemesis's schedule until every client
// is done, then stops the schedule.
func (r *run) safety(nem nemesis.Nemesis) error {
	eps := nemesis.Plan(nem, r.w.Rand("nemesis"), nemesis.TopologyOf(r.w), r.span(), r.sc.Timing)
	runner := nemesis.Start(r.w, r.x, eps)
	done, n := r.startClients(), r.sc.clients() // the test runs at every step: no Scenario copy in it
	err := r.w.RunUntil(func() bool { return *done == n }, r.sc.SafetyDeadline)
	runner.Stop()
	return err
}

// span estimates the safety phase's length, to plan faults over it.
func (r *run) span() time.Duration {
	per := r.sc.think() + 300*time.Millisecond
	return max(2*time.Second, time.Duration(r.sc.opsPerClient())*per)
}

// liveness heals everything, lets the cluster settle, reads every key,
// waits for the layout to settle and the replicas to agree (read repair,
// anti-entropy) or the deadline, and returns their digests.
func (r *run) liveness() (checker.Digests, error) {
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
func (r *run) converge() (checker.Digests, error) {
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
