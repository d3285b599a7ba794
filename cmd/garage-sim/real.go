package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/gogarage/garage/experiments/realproc"
	"github.com/gogarage/garage/node/table"
)

// garageFlag registers --garage, the binary real runs start.
func garageFlag(fs *flag.FlagSet) *string {
	return fs.String("garage", "", "path of the garage binary to run (default: garage next to this program or on\n"+
		"PATH, else one built from this checkout with go build into the user cache)")
}

// findGarage returns the garage binary to run: path if given, else one
// next to this program, on PATH, or built into the user cache directory.
func findGarage(path string, out io.Writer) (string, error) {
	if path != "" {
		return path, nil
	}
	if exe, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(exe), "garage"); isFile(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("garage"); err == nil {
		return p, nil
	}
	return buildGarage(out)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// buildGarage builds cmd/garage of the module in the working directory
// into the user cache directory.
func buildGarage(out io.Writer) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	bin := filepath.Join(dir, "gogarage", "garage")
	fmt.Fprintf(out, "building garage into %s (pass --garage to use another binary)\n", bin)
	cmd := exec.Command("go", "build", "-o", bin, "github.com/gogarage/garage/cmd/garage")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("no garage binary given and go build failed (run from the repository, or pass --garage): %w\n%s", err, b)
	}
	return bin, nil
}

const realclusterDesc = `Starts real garage server processes on loopback, shapes every node-to-node link
to --rtt ± --jitter with netem, applies a layout over --zones zones, runs the
register workload through the admin RPC (the same workload code as the
simulator) while a nemesis kills random nodes with SIGKILL and restarts them,
heals, reads every key a last time and judges the history with the checker.
Operations of a client whose node was killed fail: availability is reported
apart from latency. Exit status 1 on a gating violation.`

// realclusterFlags binds the flags of `garage-sim realcluster` to o.
func realclusterFlags(fs *flag.FlagSet, o *realproc.Options) {
	fs.IntVar(&o.Nodes, "nodes", o.Nodes, "garage server processes")
	fs.IntVar(&o.Zones, "zones", o.Zones, "zones the roles are spread over")
	fs.IntVar(&o.RF, "rf", o.RF, "replication_factor")
	fs.StringVar(&o.Mode, "mode", o.Mode, "consistency_mode: consistent, degraded or dangerous")
	fs.DurationVar(&o.RTT, "rtt", o.RTT, "round-trip time between nodes (netem shaper in each server)")
	fs.DurationVar(&o.Jitter, "jitter", o.Jitter, "RTT jitter (± half of it on each hop)")
	fs.IntVar(&o.Workload.Clients, "clients", o.Workload.Clients, "concurrent clients, one node each")
	fs.IntVar(&o.Workload.Keys, "keys", o.Workload.Keys, "distinct keys")
	fs.IntVar(&o.Workload.OpsPerClient, "ops", o.Workload.OpsPerClient, "operations per client")
	fs.DurationVar(&o.Workload.Think, "think", o.Workload.Think, "pause between two operations of a client")
	fs.DurationVar(&o.Workload.OpTimeout, "op-timeout", o.Workload.OpTimeout, "client-side bound of one operation")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "bound of the workload phase (0: none)")
	fs.IntVar(&o.Kills, "kills", o.Kills, "SIGKILLs of a random node during the workload")
	fs.DurationVar(&o.KillEvery, "kill-every", o.KillEvery, "pause before each kill")
	fs.DurationVar(&o.Down, "down", o.Down, "how long a killed node stays down")
	fs.DurationVar(&o.Settle, "settle", o.Settle, "pause after healing, before the final reads")
	fs.BoolVar(&o.Fsync, "fsync", o.Fsync, "set metadata_fsync and data_fsync")
	fs.StringVar(&o.Dir, "dir", "", "directory of the nodes (default: a temporary one)")
	fs.BoolVar(&o.KeepDir, "keep-dir", false, "keep the nodes' directory (printed at the end)")
	fs.StringVar(&o.Out, "html", "results/realcluster", "directory for the history and HTML of failing keys")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the workload and the nemesis choices")
}

// checkRealcluster rejects options the run cannot honour.
func checkRealcluster(o realproc.Options) error {
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
// processes with kills and fails on a gating violation. SIGINT or SIGTERM
// end it early, killing every server.
func cmdRealcluster(args []string, out io.Writer) error {
	o := realproc.Default()
	fs := newFlagSet("realcluster", "[flags]", realclusterDesc, out)
	realclusterFlags(fs, &o)
	bin := garageFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkRealcluster(o); err != nil {
		return err
	}
	var err error
	if o.Garage, err = findGarage(*bin, out); err != nil {
		return err
	}
	o.Log = out
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := realproc.Run(ctx, o)
	res.Print(out)
	if err != nil {
		return err
	}
	if res.Failed() {
		fmt.Fprintf(out, "FAIL realcluster; history and HTML in %s\n", o.Out)
		return errors.New("gating violations (or a server that did not stop cleanly): see above")
	}
	fmt.Fprintln(out, "PASS realcluster")
	return nil
}
