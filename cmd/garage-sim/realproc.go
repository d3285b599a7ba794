package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gogarage/garage/experiments"
	"github.com/gogarage/garage/node/table"
)

// realclusterFlags binds the flags of `garage-sim realcluster` to o.
func realclusterFlags(fs *flag.FlagSet, o *experiments.RealClusterOptions) {
	fs.IntVar(&o.Nodes, "nodes", o.Nodes, "garage server processes")
	fs.IntVar(&o.Zones, "zones", o.Zones, "zones the roles are spread over")
	fs.IntVar(&o.RF, "rf", o.RF, "replication_factor")
	fs.StringVar(&o.Mode, "mode", o.Mode, "consistency_mode: consistent, degraded or dangerous")
	fs.DurationVar(&o.RTT, "rtt", o.RTT, "round-trip time between nodes (netem shaper in each server)")
	fs.DurationVar(&o.Jitter, "jitter", o.Jitter, "RTT jitter (± half of it on each hop)")
	fs.IntVar(&o.Workload.Clients, "clients", o.Workload.Clients, "concurrent clients, one node each")
	fs.IntVar(&o.Workload.Keys, "keys", o.Workload.Keys, "distinct keys")
	fs.IntVar(&o.Workload.OpsPerClient, "ops", o.Workload.OpsPerClient, "operations per client")
	fs.DurationVar(&o.Workload.OpTimeout, "op-timeout", o.Workload.OpTimeout, "client-side bound of one operation")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "bound of the workload phase (0: none)")
	fs.IntVar(&o.Kills, "kills", o.Kills, "SIGKILLs of a random node during the workload")
	fs.DurationVar(&o.KillEvery, "kill-every", o.KillEvery, "pause before each kill")
	fs.DurationVar(&o.Down, "down", o.Down, "how long a killed node stays down")
	fs.DurationVar(&o.Settle, "settle", o.Settle, "pause after healing, before the final reads")
	fs.BoolVar(&o.Fsync, "fsync", false, "set metadata_fsync and data_fsync")
	fs.StringVar(&o.Dir, "dir", "", "directory of the nodes and the binary (default: a temporary one)")
	fs.BoolVar(&o.KeepDir, "keep-dir", false, "keep the nodes' directory (printed at the end)")
	fs.StringVar(&o.Out, "html", "results/realcluster", "directory for the HTML visualisation of failing keys")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the workload and the nemesis choices")
}

// checkRealcluster rejects options the run cannot honour.
func checkRealcluster(o experiments.RealClusterOptions) error {
	if _, err := table.ParseMode(o.Mode); err != nil {
		return usageError{err}
	}
	switch {
	case o.Nodes < 1 || o.Zones < 1 || o.RF < 1 || o.RF > o.Nodes:
		return usageError{errors.New("--nodes and --zones must be at least 1, --rf between 1 and --nodes")}
	case o.Workload.Clients < 1 || o.Workload.Keys < 1 || o.Workload.OpsPerClient < 0 || o.Kills < 0:
		return usageError{errors.New("--clients and --keys must be at least 1, --ops and --kills at least 0")}
	case o.RTT < 0 || o.Jitter < 0 || o.Jitter > 2*o.RTT:
		return usageError{errors.New("--rtt and --jitter must be non-negative, --jitter at most 2×--rtt")}
	case o.Workload.OpTimeout <= 0:
		return usageError{errors.New("--op-timeout must be positive")}
	}
	return nil
}

// cmdRealcluster runs the register workload against real garage server
// processes with kills (issue #5's acceptance run) and fails on a gating
// violation. SIGINT or SIGTERM end it early, killing every server.
func cmdRealcluster(args []string, out io.Writer) error {
	o := experiments.DefaultRealClusterOptions()
	fs := newFlagSet("realcluster", out)
	realclusterFlags(fs, &o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if err := checkRealcluster(o); err != nil {
		return err
	}
	o.Log = out
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := experiments.RunRealCluster(ctx, o)
	res.Print(out)
	if err != nil {
		return err
	}
	if res.Failed() {
		return errors.New("gating violations (or a server that did not stop cleanly): see above")
	}
	return nil
}
