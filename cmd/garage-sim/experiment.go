package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gogarage/garage/experiments/catalog"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
)

const experimentDesc = `Runs a named experiment (or all of them) and writes results/<name>/: one tidy
CSV per table (units in the header), goals.csv, meta.json (seed, parameters,
world, commit, versions, wall and virtual time), and each figure as PNG and SVG
drawn from the CSV alone. It prints the main table, the figures' paths, one
line per acceptance goal and a PASS or FAIL line.

Worlds: the deterministic simulator (default: the same seed writes the same
CSV and SVG bytes); --real: garage server processes on loopback shaped by
netem (minutes); --target FILE: a deployed cluster, sent requests only (see
"target file" below). An experiment that does not run in the simulator runs
in its first world (fidelity: real).

A missed goal prints "goal missed" lines and FAIL but exits 0 (--strict: 1);
a run that could not be carried out exits 1.`

const targetHelp = `target file (TOML) — garage-sim cluster up writes one for the cluster it starts:
  rpc_secret = "<64 hex digits>"        # or rpc_secret_file = "path"
  rtt = "100ms"                         # optional, for fidelity's simulated twin:
  jitter = "20ms"                       # links between zones,
  intra_zone_rtt = "0.5ms"              # and inside one
  allow_layout_changes = false          # rebalance may stage and apply layouts
  [s3]                                  # the key every S3 request is signed with
  bucket = "experiments"                # a bucket it may read and write
  access_key_id = "GK..."
  secret_access_key = "..."             # or secret_access_key_file = "path"
  region = "garage"                     # optional
  [[node]]                              # one block per node; clients attach to the first ones
  rpc = "<node id>@host:3901"           # admin RPC: status, layout
  s3 = "http://host:3900"               # the node's S3 API
  [zone_failure]                        # optional: commands zone-failure may run
  down = "ssh {zone}-admin systemctl stop garage"
  up = "ssh {zone}-admin systemctl start garage"`

// experimentFlags are the flags of the experiment command.
type experimentFlags struct {
	real, quick, strict      bool
	target, out, sizes, figs string
	seed                     uint64
	samples                  int
	garage                   *string
}

func (ef *experimentFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&ef.real, "real", false, "run on garage server processes on loopback, shaped by netem")
	fs.StringVar(&ef.target, "target", "", "run against the deployed cluster this TOML file names (see below)")
	fs.BoolVar(&ef.quick, "quick", false, "reduced size (the CI size: seconds in the simulator)")
	fs.Uint64Var(&ef.seed, "seed", 1, "seed of the simulated worlds and of the workloads")
	fs.StringVar(&ef.out, "out", "results", "root of the results directories")
	fs.IntVar(&ef.samples, "samples", 0, "samples per endpoint of latency, latency-3dc, scaling, fidelity, variants (0: theirs)")
	fs.StringVar(&ef.sizes, "sizes", "", "cluster sizes of scaling, comma-separated (e.g. 6,250,1000; default: theirs)")
	fs.BoolVar(&ef.strict, "strict", false, "exit 1 when a goal is missed")
	fs.StringVar(&ef.figs, "figures", "", "also copy each figure's PNG into <dir>/<experiment>/ (e.g. experiments/figures)")
	ef.garage = garageFlag(fs)
}

// options returns the lab options the flags set, for the default world.
func (ef *experimentFlags) options(out io.Writer) (lab.Options, error) {
	o := lab.Options{World: results.Sim, Quick: ef.quick, Seed: ef.seed, Out: ef.out, Samples: ef.samples, Log: out}
	if ef.real && ef.target != "" {
		return o, usageError{errors.New("--real and --target exclude each other")}
	}
	if ef.real {
		o.World = results.Real
	}
	if ef.target != "" {
		t, err := lab.ReadTarget(ef.target)
		if err != nil {
			return o, usageError{err}
		}
		o.World, o.Target = results.Target, t
	}
	for _, f := range strings.Split(ef.sizes, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 3 {
			return o, usageError{fmt.Errorf("--sizes: %q is not a cluster size of at least 3", f)}
		}
		o.Sizes = append(o.Sizes, n)
	}
	return o, nil
}

// experimentHelp is the command's help: its description, the experiments
// and their worlds, the flags, the target file.
func experimentHelp(fs *flag.FlagSet, out io.Writer) func() {
	return func() {
		fmt.Fprintf(out, "usage: garage-sim experiment <name>|all [flags]\n\n%s\n\nexperiments:\n", experimentDesc)
		for _, e := range catalog.All() {
			fmt.Fprintf(out, "  %-13s %s\n  %13s worlds: %v\n", e.Name, e.Summary, "", e.Worlds)
		}
		fmt.Fprintf(out, "  %-13s every experiment above, in this order\n\n"+
			"'garage-sim experiment <name> --help' describes one experiment: tables, figures, goals.\n\nflags:\n", "all")
		fs.PrintDefaults()
		fmt.Fprintf(out, "\n%s\n", targetHelp)
	}
}

// cmdExperiment runs the named experiment or all of them.
func cmdExperiment(args []string, out io.Writer) error {
	var ef experimentFlags
	fs := flag.NewFlagSet("experiment", flag.ContinueOnError)
	fs.SetOutput(out)
	ef.register(fs)
	fs.Usage = experimentHelp(fs, out)
	names, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		fs.Usage()
		return usageError{errors.New("name one experiment, or all")}
	}
	exps, err := selectExperiments(names[0])
	if err != nil {
		return err
	}
	if len(exps) == 1 && wantsHelp(args) {
		fmt.Fprintf(out, "experiment %s: %s\n\n%s\n\nworlds: %v\n", exps[0].Name, exps[0].Summary, exps[0].Doc, exps[0].Worlds)
		return errHelp
	}
	o, err := ef.options(out)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runExperiments(ctx, exps, o, &ef, names[0], out)
}

// wantsHelp reports whether args ask for help after naming an experiment.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

// parseInterspersed parses flags given before and after the positional
// arguments, and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				if len(pos) > 0 || fs.NArg() > 0 {
					return append(pos, fs.Args()...), nil // help about one experiment
				}
				return nil, errHelp
			}
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

func selectExperiments(name string) (lab.Registry, error) {
	all := catalog.All()
	if name == "all" {
		return all, nil
	}
	e, err := all.Lookup(name)
	if err != nil {
		return nil, usageError{err}
	}
	return lab.Registry{e}, nil
}

// runExperiments runs each experiment in its world and prints a last
// line for all of them when there are several.
func runExperiments(ctx context.Context, exps lab.Registry, o lab.Options, ef *experimentFlags, name string, out io.Writer) error {
	var failed, missed []string
	for _, e := range exps {
		eo, err := worldFor(e, o, ef, out)
		if err != nil {
			fmt.Fprintf(out, "skip %s: %v\n", e.Name, err)
			continue
		}
		if len(exps) > 1 {
			fmt.Fprintf(out, "== %s (%s)\n", e.Name, eo.World)
		}
		res := lab.Run(ctx, e, eo)
		if err := copyFigures(res, ef.figs); err != nil {
			fmt.Fprintf(out, "copy figures: %v\n", err)
		}
		switch {
		case res.Err != nil:
			failed = append(failed, e.Name)
		case !res.Passed():
			missed = append(missed, e.Name)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(exps) > 1 {
		fmt.Fprintln(out, allVerdict(name, o, len(exps), failed, missed))
	}
	switch {
	case len(failed) > 0:
		return fmt.Errorf("%s could not be run (see above)", strings.Join(failed, ", "))
	case len(missed) > 0 && ef.strict:
		return fmt.Errorf("goals missed in %s (--strict)", strings.Join(missed, ", "))
	}
	return nil
}

// worldFor returns the options of e: the chosen world, or e's first one
// when it does not run in the simulator; with the garage binary found
// when the world is real.
func worldFor(e lab.Experiment, o lab.Options, ef *experimentFlags, out io.Writer) (lab.Options, error) {
	if o.World == results.Sim && !e.Supports(results.Sim) {
		o.World = e.Worlds[0]
	}
	if !e.Supports(o.World) {
		return o, fmt.Errorf("runs in %v, not %s", e.Worlds, o.World)
	}
	if o.World != results.Real {
		return o, nil
	}
	bin, err := findGarage(*ef.garage, out)
	if err != nil {
		return o, err
	}
	*ef.garage, o.Garage = bin, bin // build once for all
	return o, nil
}

func allVerdict(name string, o lab.Options, n int, failed, missed []string) string {
	head := fmt.Sprintf("%s (%s): %d experiments", name, o.World, n)
	switch {
	case len(failed) > 0:
		return fmt.Sprintf("FAIL %s, %s could not be run; results in %s", head, strings.Join(failed, ", "), o.Out)
	case len(missed) > 0:
		return fmt.Sprintf("FAIL %s, goals missed in %s; results in %s", head, strings.Join(missed, ", "), o.Out)
	}
	return fmt.Sprintf("PASS %s, every goal met; results in %s", head, o.Out)
}

// copyFigures copies the PNG of every figure of res into dir/<name>/.
func copyFigures(res lab.Outcome, dir string) error {
	if dir == "" || res.Err != nil {
		return nil
	}
	dst := filepath.Join(dir, res.Name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range res.Figures {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
