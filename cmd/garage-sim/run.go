package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/workload"
)

const runDesc = `Runs one scenario on assembled Garage nodes in the deterministic simulator and
prints its trace hash (equal for equal seeds), the latency of each operation
kind, the nemesis events, and the verdict of every check. Without --nemesis the
workload is the quick-start one (five clients, four keys); with it, the
workload and fault timing are generated from the seed as in campaigns, so a
campaign's replay line reruns exactly its run. Exit status 1 on a violation,
with the HTML history of each failing key and the replay command.`

// cmdRun runs one seeded simulation and prints its fingerprint, latencies,
// nemesis events and the verdicts of the checks.
func cmdRun(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("run", "[flags]", runDesc, out)
	sf.register(fs)
	historyPath := fs.String("history", "", "write the recorded history as JSON lines to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	sc, err := sf.scenario()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, describe(sc))
	res, err := campaign.Run(sc)
	if err != nil {
		return fmt.Errorf("%w\nreplay: %s", err, sf.replay())
	}
	printRun(out, res)
	if *historyPath != "" {
		if err := checker.WriteHistoryFile(*historyPath, res.History); err != nil {
			return err
		}
		fmt.Fprintf(out, "history written to %s\n", *historyPath)
	}
	return verdict(out, res, sf)
}

func printRun(out io.Writer, res campaign.Result) {
	fmt.Fprintf(out, "trace hash %016x\n", res.TraceHash)
	fmt.Fprintf(out, "steps %d  virtual %v  wall %v  (%.0f× real time)  ops %d  nemesis events %d\n", res.Steps,
		res.Virtual.Round(time.Millisecond), res.Wall.Round(time.Millisecond),
		float64(res.Virtual)/float64(max(res.Wall, 1)), res.OpCount, res.Events)
	fmt.Fprint(out, workload.FormatStats(workload.Summarise(res.Ops, "get", "put", "delete", "add", "remove", "list")))
	for _, n := range res.History.Nemeses {
		fmt.Fprintf(out, "  nemesis @%d %s %s\n", n.Stamp, n.Kind, n.Description)
	}
}

// verdict prints the checks and the PASS or FAIL line; on a gating
// violation it writes the HTML of each failing key and fails with the
// replay command.
func verdict(out io.Writer, res campaign.Result, sf scenarioFlags) error {
	fmt.Fprintln(out, "checks:")
	for _, r := range res.Results {
		fmt.Fprintf(out, "  %s\n", r)
	}
	if !res.Failed() {
		fmt.Fprintf(out, "PASS %s seed %d\n", res.Scenario.Workload+"/"+res.Scenario.Nemesis, res.Scenario.Seed)
		return nil
	}
	files := writeFailures(res, sf.htmlDir)
	for _, f := range files {
		fmt.Fprintf(out, "  history of a failing key: %s\n", f)
	}
	fmt.Fprintf(out, "FAIL %s seed %d\n", res.Scenario.Workload+"/"+res.Scenario.Nemesis, res.Scenario.Seed)
	return fmt.Errorf("gating violations (see the checks above)\nreplay: %s", sf.replay())
}

// writeFailures renders each failing key of res into dir, in files named
// by workload, nemesis, options and seed.
func writeFailures(res campaign.Result, dir string) []string {
	sc := res.Scenario
	opts := campaign.Options{Mode: sc.Cluster.Mode, Fsync: sc.Fsync, Controls: sc.Cluster.Controls}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	var files []string
	for _, key := range checker.FailingKeys(res.Results) {
		name := fmt.Sprintf("%s-%s-%s-seed%d-%s.html", sc.Workload, sc.Nemesis, opts.Tag(), sc.Seed,
			strings.NewReplacer("/", "_", " ", "_").Replace(key))
		path := filepath.Join(dir, name)
		if checker.WriteHTML(path, res.History, key, checker.GateViolations(res.Results, key)...) == nil {
			files = append(files, path)
		}
	}
	return files
}

const lockstepDesc = `Runs a scenario twice in two worlds advanced step by step together, and names
the first step where they diverge (a task reading the real clock, ranging over
a map, or racing): the debugging tool for nondeterminism. Same flags as run.`

// cmdLockstep runs a seed twice in lockstep and names the first divergence.
func cmdLockstep(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("lockstep", "[flags]", lockstepDesc, out)
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	sc, err := sf.scenario()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, describe(sc))
	d, err := campaign.Lockstep(sc)
	if err != nil {
		return err
	}
	if d != nil {
		fmt.Fprintln(out, "FAIL lockstep")
		return fmt.Errorf("nondeterminism: %v", d)
	}
	fmt.Fprintln(out, "lockstep: both runs agree at every step")
	fmt.Fprintln(out, "PASS lockstep")
	return nil
}
