package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/node/table"
)

// newFlagSet returns a flag set whose help starts with the command's
// description.
func newFlagSet(name, synopsis, desc string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: garage-sim %s %s\n\n%s\n\nflags:\n", name, synopsis, desc)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning -h into errHelp and errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// scenarioFlags are the flags of the commands that run one scenario (run,
// lockstep): one vocabulary with campaign and realcluster.
type scenarioFlags struct {
	fs                       *flag.FlagSet
	workload, nemesis, mode  string
	seed                     uint64
	nodes, zones, rf         int
	rtt, jitter, think, skew time.Duration
	clients, keys, ops       int
	naiveTS, single, fsync   bool
	noRedo                   bool
	noVerify                 bool
	htmlDir                  string
}

func (sf *scenarioFlags) register(fs *flag.FlagSet) {
	sf.fs = fs
	def := campaign.Default(7)
	fs.StringVar(&sf.workload, "workload", campaign.WorkloadRegister, "workload: "+strings.Join(campaign.Workloads(), ", "))
	fs.Uint64Var(&sf.seed, "seed", 7, "root seed of the run")
	fs.StringVar(&sf.nemesis, "nemesis", "", "nemesis class: "+strings.Join(campaign.NemesisNames(), ", ")+
		"\n(given, the workload and fault timing are generated from the seed as in campaigns;\nflags set explicitly still apply on top)")
	fs.StringVar(&sf.mode, "mode", "consistent", "consistency mode: consistent, degraded (negative control) or dangerous (negative control)")
	fs.IntVar(&sf.nodes, "nodes", def.Cluster.Nodes, "number of nodes")
	fs.IntVar(&sf.zones, "zones", def.Cluster.Zones, "number of zones the nodes are spread over")
	fs.IntVar(&sf.rf, "rf", def.Cluster.RF, "replication factor")
	fs.DurationVar(&sf.rtt, "rtt", def.Cluster.RTT, "round-trip time between nodes")
	fs.DurationVar(&sf.jitter, "jitter", def.Cluster.Jitter, "RTT jitter (± half of it on each hop)")
	fs.IntVar(&sf.clients, "clients", def.Register.Clients, "concurrent clients")
	fs.IntVar(&sf.keys, "keys", def.Register.Keys, "distinct keys (register workload)")
	fs.IntVar(&sf.ops, "ops", def.Register.OpsPerClient, "operations per client")
	fs.DurationVar(&sf.think, "think", def.Register.Think, "pause between two operations of a client")
	fs.DurationVar(&sf.skew, "skew", 0, "offset each node's wall clock by a random value in [-skew, +skew]")
	fs.BoolVar(&sf.naiveTS, "naive-ts", false, "negative control: stamp writes with the local clock only")
	fs.BoolVar(&sf.noRedo, "no-redo", false, "negative control: object writes keep their optimistic timestamp (no redo on a newer version)")
	fs.BoolVar(&sf.noVerify, "no-verify", false, "negative control: blocks are served without checking their hash")
	fs.BoolVar(&sf.single, "single-version", false, "negative control: tables use the newest layout version only")
	fs.BoolVar(&sf.fsync, "fsync", true, "make every metadata commit durable (metadata_fsync)")
	fs.StringVar(&sf.htmlDir, "html", "results/failures", "directory for the HTML history of each failing key")
}

// options returns the campaign options the flags set.
func (sf *scenarioFlags) options() (campaign.Options, error) {
	mode, err := table.ParseMode(sf.mode)
	if err != nil {
		return campaign.Options{}, usageError{err}
	}
	o := campaign.Options{Mode: mode, Fsync: sf.fsync}
	o.Controls.NaiveTimestamps, o.Controls.SingleVersionLayout = sf.naiveTS, sf.single
	o.Controls.NoTimestampRedo = sf.noRedo
	o.Controls.NoBlockVerify = sf.noVerify
	return o, nil
}

// scenario builds the scenario the flags describe: campaign.Gen when
// --nemesis is given, campaign.Default otherwise, then every flag set
// explicitly on top.
func (sf *scenarioFlags) scenario() (campaign.Scenario, error) {
	if err := campaign.CheckWorkload(sf.workload); err != nil {
		return campaign.Scenario{}, usageError{err}
	}
	o, err := sf.options()
	if err != nil {
		return campaign.Scenario{}, err
	}
	sc := campaign.Default(sf.seed)
	if sf.nemesis != "" {
		if err := campaign.CheckNemesis(sf.nemesis); err != nil {
			return sc, usageError{err}
		}
		sc = campaign.Gen(sf.seed, sf.workload, sf.nemesis, o)
	}
	sc.Workload, sc.Cluster.Mode, sc.Cluster.Controls, sc.Fsync = sf.workload, o.Mode, o.Controls, o.Fsync
	sf.fs.Visit(func(f *flag.Flag) { sf.apply(&sc, f.Name) })
	return sc, sf.validate(sc)
}

// apply copies the flag name, set explicitly, into sc.
func (sf *scenarioFlags) apply(sc *campaign.Scenario, name string) {
	c, r, s := &sc.Cluster, &sc.Register, &sc.Set
	switch name {
	case "nodes":
		c.Nodes = sf.nodes
	case "zones":
		c.Zones = sf.zones
	case "rf":
		c.RF = sf.rf
	case "rtt":
		c.RTT = sf.rtt
	case "jitter":
		c.Jitter = sf.jitter
	case "clients":
		r.Clients, s.Clients = sf.clients, sf.clients
	case "keys":
		r.Keys = sf.keys
	case "ops":
		r.OpsPerClient, s.OpsPerClient = sf.ops, sf.ops
	case "think":
		r.Think, s.Think = sf.think, sf.think
	case "skew":
		sc.Skew = sf.skew
	}
}

func (sf *scenarioFlags) validate(sc campaign.Scenario) error {
	c, r := sc.Cluster, sc.Register
	switch {
	case c.Nodes < 1 || c.Zones < 1:
		return usageError{fmt.Errorf("--nodes and --zones must be at least 1, got %d and %d", c.Nodes, c.Zones)}
	case c.RF < 1 || c.RF > c.Nodes-c.Spares:
		return usageError{fmt.Errorf("--rf must be between 1 and the nodes with a role (%d), got %d", c.Nodes-c.Spares, c.RF)}
	case r.Clients < 1 || r.Keys < 1 || r.OpsPerClient < 0:
		return usageError{errors.New("--clients and --keys must be at least 1, --ops at least 0")}
	case c.RTT < 0 || c.Jitter < 0 || c.Jitter > 2*c.RTT || r.Think < 0 || sc.Skew < 0:
		return usageError{errors.New("--rtt, --jitter, --think and --skew must be non-negative, --jitter at most 2×--rtt")}
	}
	return nil
}

// replay returns the command that reruns this exact simulation: the
// workload, seed and nemesis, then every other flag that was set.
func (sf *scenarioFlags) replay() string {
	cmd := fmt.Sprintf("go run ./cmd/garage-sim run --workload %s --seed %d", sf.workload, sf.seed)
	if sf.nemesis != "" {
		cmd += " --nemesis " + sf.nemesis
	}
	sf.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "workload", "seed", "nemesis", "html":
		default:
			cmd += fmt.Sprintf(" --%s=%s", f.Name, f.Value)
		}
	})
	return cmd
}

// describe renders a scenario in one line.
func describe(sc campaign.Scenario) string {
	c := sc.Cluster
	s := fmt.Sprintf("workload %s  nemesis %s  seed %d  nodes %d (%d spare)  zones %d  rf %d  mode %s  rtt %v ± %v",
		sc.Workload, sc.Nemesis, sc.Seed, c.Nodes, c.Spares, c.Zones, c.RF, c.Mode, c.RTT, c.Jitter)
	if c.Controls.NaiveTimestamps {
		s += "  naive-ts"
	}
	if c.Controls.SingleVersionLayout {
		s += "  single-version"
	}
	if c.Controls.NoTimestampRedo {
		s += "  no-redo"
	}
	return s
}
