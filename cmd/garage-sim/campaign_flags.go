package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments"
)

// nemesisFlags are the flags that turn run and lockstep into one campaign
// run: a workload generated from the seed under a nemesis, with a safety
// and a liveness phase.
type nemesisFlags struct {
	nemesis       string
	fsync         bool
	singleVersion bool
}

// register adds --nemesis to every scenario command (real and compare
// reject it with a clear message) and --fsync to the simulated ones (real
// and compare have their own, for the real nodes).
func (nf *nemesisFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&nf.nemesis, "nemesis", "", "nemesis class (as in campaigns); the workload is then generated from the seed")
	nf.fsync = true
	if fs.Name() == "run" || fs.Name() == "lockstep" {
		fs.BoolVar(&nf.fsync, "fsync", true, "with --nemesis: make every metadata commit durable (metadata_fsync)")
		fs.BoolVar(&nf.singleVersion, "single-version", false, "negative control: the set table uses the newest layout version only")
	}
}

// active reports whether the run is a campaign run rather than the plain
// register scenario.
func (nf *nemesisFlags) active(scenario string) bool {
	return nf.nemesis != "" || scenario == experiments.WorkloadSet
}

// knownScenario reports whether name is a scenario of the run command.
func knownScenario(name string) bool {
	return name == experiments.WorkloadRegister || name == experiments.WorkloadSet
}

// validate rejects campaign runs where only the plain scenario is
// supported, and unknown nemeses.
func (nf *nemesisFlags) validate(command, scenario string) error {
	if !nf.active(scenario) {
		return nil
	}
	if command != "run" && command != "lockstep" {
		return usageError{fmt.Errorf("%s supports only --scenario register without --nemesis", command)}
	}
	if nf.nemesis == "" {
		nf.nemesis = "none"
	}
	if err := experiments.CheckNemesis(nf.nemesis); err != nil {
		return usageError{err}
	}
	return nil
}

// scenario is the campaign scenario the flags describe.
func (sf *scenarioFlags) campaignScenario() experiments.Scenario {
	opts := experiments.CampaignOptions{Mode: sf.cfg.Mode, NaiveTimestamps: sf.cfg.NaiveTimestamps, Fsync: sf.nem.fsync,
		SingleVersionLayout: sf.nem.singleVersion}
	sc := experiments.GenScenario(sf.seed, sf.scenario, sf.nem.nemesis, opts)
	sc.Skew = sf.cfg.Skew
	return sc
}

// runCampaignScenario runs one campaign scenario, prints it like run does
// and judges it, convergence included.
func runCampaignScenario(out io.Writer, sf scenarioFlags, historyPath, htmlDir string) error {
	sc := sf.campaignScenario()
	fmt.Fprintf(out, "workload %s  nemesis %s  seed %d  mode %s  naive-ts %v  fsync %v\n",
		sc.WorkloadName, sc.Nemesis, sc.Seed, sc.Mode, sc.NaiveTimestamps, sc.Fsync)
	res, err := experiments.RunScenario(sc)
	if err != nil {
		return fmt.Errorf("%w\nreplay: %s", err, sf.replay())
	}
	fmt.Fprintf(out, "trace hash %016x\n", res.TraceHash)
	fmt.Fprintf(out, "steps %d  virtual %v  wall %v  ops %d  nemesis events %d\n", res.Steps,
		res.Virtual.Round(time.Millisecond), res.Wall.Round(time.Millisecond), res.Ops, res.Events)
	for _, n := range res.History.Nemeses {
		fmt.Fprintf(out, "  nemesis @%d %s %s\n", n.Stamp, n.Kind, n.Description)
	}
	if historyPath != "" {
		if err := writeHistory(historyPath, res.History); err != nil {
			return err
		}
	}
	return verdict(out, res.History, res.Results, htmlDir, sf)
}

// verdict prints results and fails with the replay command on a gating
// violation, rendering each failing key.
func verdict(out io.Writer, h checker.History, results []checker.Result, htmlDir string, sf scenarioFlags) error {
	fmt.Fprintln(out, "checks:")
	failed := 0
	for _, r := range results {
		fmt.Fprintf(out, "  %s\n", r)
		if r.Gate() && !r.OK {
			failed += len(r.Violations)
			if r.Name != checker.CheckConvergence {
				writeFailures(out, h, htmlDir, sf.seed, r)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d violations\nreplay: %s", failed, sf.replay())
	}
	return nil
}

// lockstepCampaignScenario runs the campaign scenario twice in lockstep.
func lockstepCampaignScenario(out io.Writer, sf scenarioFlags) error {
	d, err := experiments.LockstepScenario(sf.campaignScenario())
	if err != nil {
		return err
	}
	if d != nil {
		return fmt.Errorf("nondeterminism: %v", d)
	}
	fmt.Fprintln(out, "lockstep: both runs agree at every step")
	return nil
}
