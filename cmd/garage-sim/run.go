package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments"
)

// cmdRun runs one seeded simulation and prints its fingerprint, latencies
// and the verdicts of the checks.
func cmdRun(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("run", out)
	sf.register(fs)
	historyPath := fs.String("history", "", "write the recorded history as JSON lines to this file")
	htmlDir := fs.String("html", "results/failures", "directory for the HTML visualisation of failing keys")
	if err := sf.parse(fs, args); err != nil || fs.Parsed() && helpAsked(args) {
		return err
	}
	if sf.nem.active(sf.scenario) {
		return runCampaignScenario(out, sf, *historyPath, *htmlDir)
	}
	fmt.Fprintln(out, sf.describe())
	res, err := experiments.RunRegister(sf.cfg)
	if err != nil {
		return fmt.Errorf("%w\nreplay: %s", err, sf.replay())
	}
	printRun(out, res)
	if *historyPath != "" {
		if err := writeHistory(*historyPath, res.History); err != nil {
			return err
		}
	}
	return judge(out, res.History, *htmlDir, sf)
}

func printRun(out io.Writer, res experiments.RegisterResult) {
	fmt.Fprintf(out, "trace hash %016x\n", res.TraceHash)
	fmt.Fprintf(out, "steps %d  virtual %v  wall %v  (%.0f× real time)\n", res.Steps,
		res.Virtual.Round(time.Millisecond), res.Wall.Round(time.Millisecond), float64(res.Virtual)/float64(res.Wall))
	fmt.Fprint(out, experiments.FormatStats(experiments.Summarise(res.Ops)))
}

// judge runs the checks, prints them and fails (with the replay command) on
// a gating violation, writing an HTML view of each failing key.
func judge(out io.Writer, h checker.History, htmlDir string, sf scenarioFlags) error {
	results, err := checker.CheckAll(h, checker.Options{})
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	fmt.Fprintln(out, "checks:")
	failed := 0
	for _, r := range results {
		fmt.Fprintf(out, "  %s\n", r)
		if r.Gate() && !r.OK {
			failed += len(r.Violations)
			writeFailures(out, h, htmlDir, sf.seed, r)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d violations\nreplay: %s", failed, sf.replay())
	}
	return nil
}

func writeFailures(out io.Writer, h checker.History, dir string, seed uint64, r checker.Result) {
	seen := map[string]bool{}
	for _, v := range r.Violations {
		if v.Key == "" || seen[v.Key] {
			continue
		}
		seen[v.Key] = true
		path := filepath.Join(dir, fmt.Sprintf("seed%d-%s-%s.html", seed, r.Name, v.Key))
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if err := checker.WriteHTML(path, h, v.Key, r.Violations...); err == nil {
				fmt.Fprintf(out, "  history of %s: %s\n", v.Key, path)
			}
		}
	}
}

func writeHistory(path string, h checker.History) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := checker.WriteHistory(f, h); err != nil {
		f.Close()
		return fmt.Errorf("history: %w", err)
	}
	return f.Close()
}

func helpAsked(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

// cmdLockstep runs a seed twice in lockstep and names the first divergence.
func cmdLockstep(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("lockstep", out)
	sf.register(fs)
	if err := sf.parse(fs, args); err != nil || helpAsked(args) {
		return err
	}
	if sf.nem.active(sf.scenario) {
		return lockstepCampaignScenario(out, sf)
	}
	fmt.Fprintln(out, sf.describe())
	d, err := experiments.LockstepRegister(sf.cfg)
	if err != nil {
		return err
	}
	if d != nil {
		return fmt.Errorf("nondeterminism: %v", d)
	}
	fmt.Fprintln(out, "lockstep: both runs agree at every step")
	return nil
}

// cmdReal runs the scenario on real nodes over loopback TCP with the netem
// shaper, and prints the same latency table and checks as run.
func cmdReal(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("real", out)
	sf.register(fs)
	var opts experiments.RealOptions
	fs.StringVar(&opts.Dir, "dir", "", "metadata directory of the nodes (default: a temporary one)")
	fs.BoolVar(&opts.Fsync, "fsync", false, "fsync every metadata commit")
	htmlDir := fs.String("html", "results/failures", "directory for the HTML visualisation of failing keys")
	if err := sf.parse(fs, args); err != nil || helpAsked(args) {
		return err
	}
	fmt.Fprintln(out, "real nodes on loopback TCP, netem shaper:", sf.describe())
	res, err := experiments.RunRegisterReal(sf.cfg, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wall %v\n", res.Wall.Round(time.Millisecond))
	fmt.Fprint(out, experiments.FormatStats(experiments.Summarise(res.Ops)))
	return judge(out, res.History, *htmlDir, sf)
}

// cmdCompare runs the same workload in the simulator and on real nodes and
// prints mean latencies side by side with their ratio.
func cmdCompare(args []string, out io.Writer) error {
	var sf scenarioFlags
	fs := newFlagSet("compare", out)
	sf.register(fs)
	var opts experiments.RealOptions
	fs.BoolVar(&opts.Fsync, "fsync", false, "fsync every metadata commit on the real nodes")
	if err := sf.parse(fs, args); err != nil || helpAsked(args) {
		return err
	}
	fmt.Fprintln(out, sf.describe())
	simRes, err := experiments.RunRegister(sf.cfg)
	if err != nil {
		return fmt.Errorf("%w\nreplay: %s", err, sf.replay())
	}
	realRes, err := experiments.RunRegisterReal(sf.cfg, opts)
	if err != nil {
		return err
	}
	simStats, realStats := experiments.Summarise(simRes.Ops), experiments.Summarise(realRes.Ops)
	fmt.Fprintf(out, "%-7s %12s %12s %8s\n", "op", "sim_mean_ms", "real_mean_ms", "real/sim")
	for i, s := range simStats {
		r := realStats[i]
		fmt.Fprintf(out, "%-7s %12.1f %12.1f %8.3f\n", s.Kind, ms(s.Mean), ms(r.Mean), float64(r.Mean)/float64(s.Mean))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
