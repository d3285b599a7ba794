package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gogarage/garage/experiments"
	"github.com/gogarage/garage/node/table"
)

// scenarioFlags are the flags shared by the commands that run a scenario.
type scenarioFlags struct {
	fs       *flag.FlagSet
	scenario string
	seed     uint64
	mode     string
	cfg      experiments.RegisterConfig
	nem      nemesisFlags
}

func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

func (sf *scenarioFlags) register(fs *flag.FlagSet) {
	sf.fs = fs
	def := experiments.DefaultRegisterConfig(7)
	fs.StringVar(&sf.scenario, "scenario", "register", "scenario to run (register; set with run and lockstep)")
	fs.Uint64Var(&sf.seed, "seed", 7, "root seed of the run")
	fs.StringVar(&sf.mode, "mode", "consistent", "consistency mode: consistent, degraded or dangerous")
	fs.IntVar(&sf.cfg.Nodes, "nodes", def.Nodes, "number of nodes")
	fs.IntVar(&sf.cfg.Zones, "zones", def.Zones, "number of zones the nodes are spread over")
	fs.IntVar(&sf.cfg.RF, "rf", def.RF, "replication factor")
	fs.DurationVar(&sf.cfg.RTT, "rtt", def.RTT, "round-trip time between nodes")
	fs.DurationVar(&sf.cfg.Jitter, "jitter", def.Jitter, "RTT jitter (± half of it on each hop)")
	fs.IntVar(&sf.cfg.Workload.Clients, "clients", def.Workload.Clients, "concurrent clients")
	fs.IntVar(&sf.cfg.Workload.Keys, "keys", def.Workload.Keys, "distinct keys")
	fs.IntVar(&sf.cfg.Workload.OpsPerClient, "ops", def.Workload.OpsPerClient, "operations per client")
	fs.DurationVar(&sf.cfg.Workload.Think, "think", def.Workload.Think, "pause between two operations of a client")
	fs.DurationVar(&sf.cfg.Skew, "skew", 0, "offset each node's wall clock by a random value in [-skew, +skew] (simulator only)")
	fs.BoolVar(&sf.cfg.NaiveTimestamps, "naive-ts", false, "negative control: stamp writes with the local clock only")
	sf.cfg.Workload.ReadFrac, sf.cfg.Workload.DeleteFrac = def.Workload.ReadFrac, def.Workload.DeleteFrac
	sf.nem.register(fs)
}

// parse parses args and validates the scenario flags.
func (sf *scenarioFlags) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if !knownScenario(sf.scenario) {
		return usageError{fmt.Errorf("unknown scenario %q (known: register, set)", sf.scenario)}
	}
	if err := sf.nem.validate(fs.Name(), sf.scenario); err != nil {
		return err
	}
	mode, err := table.ParseMode(sf.mode)
	if err != nil {
		return usageError{err}
	}
	sf.cfg.Seed, sf.cfg.Mode = sf.seed, mode
	return sf.validate()
}

func (sf *scenarioFlags) validate() error {
	c := sf.cfg
	switch {
	case c.Nodes < 1:
		return usageError{fmt.Errorf("--nodes must be at least 1, got %d", c.Nodes)}
	case c.RF < 1 || c.RF > c.Nodes:
		return usageError{fmt.Errorf("--rf must be between 1 and --nodes (%d), got %d", c.Nodes, c.RF)}
	case c.Zones < 1:
		return usageError{fmt.Errorf("--zones must be at least 1, got %d", c.Zones)}
	case c.Workload.Clients < 1 || c.Workload.Keys < 1 || c.Workload.OpsPerClient < 0:
		return usageError{errors.New("--clients and --keys must be at least 1, --ops at least 0")}
	case c.RTT < 0 || c.Jitter < 0 || c.Jitter > 2*c.RTT || c.Workload.Think < 0 || c.Skew < 0:
		return usageError{errors.New("--rtt, --jitter, --think and --skew must be non-negative, --jitter at most 2×--rtt")}
	}
	return nil
}

func (sf *scenarioFlags) describe() string {
	c := sf.cfg
	return fmt.Sprintf("scenario %s  seed %d  nodes %d  zones %d  rf %d  mode %s  rtt %v ± %v  clients %d × %d ops",
		sf.scenario, c.Seed, c.Nodes, c.Zones, c.RF, c.Mode, c.RTT, c.Jitter, c.Workload.Clients, c.Workload.OpsPerClient)
}

// replay returns the command that reruns this exact simulation: every flag
// that was set, with the scenario and seed always spelt out.
func (sf *scenarioFlags) replay() string {
	cmd := fmt.Sprintf("go run ./cmd/garage-sim run --scenario %s --seed %d", sf.scenario, sf.seed)
	sf.fs.Visit(func(f *flag.Flag) {
		if f.Name != "scenario" && f.Name != "seed" {
			cmd += fmt.Sprintf(" --%s=%s", f.Name, f.Value)
		}
	})
	return cmd
}
