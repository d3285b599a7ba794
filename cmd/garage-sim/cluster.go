package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/realproc"
	"github.com/gogarage/garage/node/daemon"
)

const clusterDesc = `Local clusters of real garage server processes on loopback, for trying
Garage out and for experiments by hand:

  up      start --nodes processes over --zones zones (links between zones
          shaped to --rtt ± --jitter by netem), mesh them, apply a layout
          (the last --spares nodes get no role), create a bucket and an
          access key for it, record them in --dir, write --dir/target.toml
          for garage-sim experiment --target, and print how to reach them
          (CLI, admin and S3 APIs, the key's credentials); they keep
          running after this command returns
  status  list the processes of the cluster in --dir and whether they run
  down    stop exactly the processes recorded in --dir (SIGTERM, then
          SIGKILL after 10 s); the nodes' data stays in --dir`

func defaultClusterDir() string { return filepath.Join(os.TempDir(), "garage-sim-cluster") }

// cmdCluster dispatches garage-sim cluster up|status|down.
func cmdCluster(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(out, "usage: garage-sim cluster up|status|down [flags]\n\n%s\n\nRun 'garage-sim cluster up --help' for the flags.\n", clusterDesc)
		if len(args) == 0 {
			return usageError{errors.New("want up, status or down")}
		}
		return errHelp
	}
	switch args[0] {
	case "up":
		return clusterUp(args[1:], out)
	case "status":
		return clusterStatus(args[1:], out)
	case "down":
		return clusterDown(args[1:], out)
	}
	return usageError{fmt.Errorf("unknown cluster command %q: want up, status or down", args[0])}
}

func clusterUp(args []string, out io.Writer) error {
	o := realproc.Options{Nodes: 3, Zones: 3, RF: 3, Mode: "consistent", Fsync: true, S3: true}
	fs := newFlagSet("cluster up", "[flags]", clusterDesc, out)
	fs.IntVar(&o.Nodes, "nodes", o.Nodes, "garage server processes")
	fs.IntVar(&o.Zones, "zones", o.Zones, "zones the nodes are spread over, round robin")
	fs.IntVar(&o.Spares, "spares", 0, "nodes (the last ones) left without a role, for layout changes")
	fs.IntVar(&o.RF, "rf", o.RF, "replication_factor")
	fs.StringVar(&o.Mode, "mode", o.Mode, "consistency_mode: consistent, degraded or dangerous")
	fs.DurationVar(&o.RTT, "rtt", 0, "round-trip time between zones (netem shaper in each server), e.g. 100ms")
	fs.DurationVar(&o.Jitter, "jitter", 0, "jitter of that round trip, e.g. 20ms")
	dir := fs.String("dir", defaultClusterDir(), "directory of the nodes and of the cluster's record")
	fs.StringVar(&o.Bucket, "bucket", "garage-sim", "bucket to create, with an access key that may use it (\"\": none)")
	fs.StringVar(&o.KeyName, "key", "garage-sim", "name of that access key")
	bin := garageFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Nodes-o.Spares < o.RF || o.Zones < 1 || o.Spares < 0 {
		return usageError{fmt.Errorf("--nodes %d, --spares %d, --rf %d, --zones %d: want at least rf nodes with a role and one zone",
			o.Nodes, o.Spares, o.RF, o.Zones)}
	}
	var err error
	if o.Garage, err = findGarage(*bin, out); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(out, "starting %d nodes in %s...\n", o.Nodes, *dir)
	info, err := realproc.StartCluster(ctx, o, absPath(*dir))
	if err != nil {
		return err
	}
	printCluster(out, info)
	return writeTarget(out, info, o)
}

// writeTarget writes the cluster's target file for the experiments, if
// it has a bucket and key.
func writeTarget(out io.Writer, info realproc.ClusterInfo, o realproc.Options) error {
	if info.Key == nil {
		return nil
	}
	path := filepath.Join(info.Dir, "target.toml")
	if err := lab.WriteTargetFile(path, info, o.RTT, o.Jitter); err != nil {
		return fmt.Errorf("write the target file: %w", err)
	}
	fmt.Fprintf(out, "Run experiments against it as if it were remote: garage-sim experiment latency --target %s\n", path)
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// printCluster prints the nodes and how to use and stop the cluster.
func printCluster(out io.Writer, info realproc.ClusterInfo) {
	fmt.Fprintf(out, "\ncluster of %d nodes, layout version 1 applied:\n\n", len(info.Nodes))
	for _, n := range info.Nodes {
		fmt.Fprintf(out, "  %s  zone %s  pid %d  rpc %s\n      admin API %s\n", n.Name, n.Zone, n.PID, n.RPC, n.Admin)
		if n.S3 != "" {
			fmt.Fprintf(out, "      S3 API    %s  (region %s)\n", n.S3, realproc.S3Region)
		}
	}
	fmt.Fprintf(out, "\nadmin and metrics token: %s (also in each node's garage.toml)\n", info.AdminToken)
	fmt.Fprintf(out, "\nUse the CLI on node 1:\n\nexport GARAGE_CONFIG_FILE=%s\n", info.Nodes[0].Config)
	fmt.Fprintf(out, "\nthen: garage status; garage bucket list; garage debug put k v\n")
	printS3(out, info)
	fmt.Fprintf(out, "Stop the cluster: garage-sim cluster down --dir %s\n", info.Dir)
}

// printS3 prints the bucket and the lines that point an S3 client at
// node 1 with its access key.
func printS3(out io.Writer, info realproc.ClusterInfo) {
	if info.Key == nil || info.Nodes[0].S3 == "" {
		return
	}
	fmt.Fprintf(out, "\nBucket %s, access key %s (%s); point an S3 client at node 1:\n\n", info.Bucket, info.Key.Name, info.Key.ID)
	creds := daemon.Credentials{KeyID: info.Key.ID, Secret: info.Key.Secret, Region: realproc.S3Region, Endpoint: info.Nodes[0].S3}
	for _, l := range creds.Exports() {
		fmt.Fprintln(out, l)
	}
	fmt.Fprintf(out, "\nthen: aws s3 ls s3://%s (any node's S3 API serves the whole cluster)\n", info.Bucket)
}

func clusterStatus(args []string, out io.Writer) error {
	fs := newFlagSet("cluster status", "[--dir DIR]", clusterDesc, out)
	dir := fs.String("dir", defaultClusterDir(), "directory of the cluster")
	if err := parse(fs, args); err != nil {
		return err
	}
	info, err := realproc.LoadCluster(absPath(*dir))
	if err != nil {
		return err
	}
	for _, n := range info.Nodes {
		state := "stopped"
		if n.Running() {
			state = "running"
		}
		fmt.Fprintf(out, "%s  zone %s  pid %d  %s  rpc %s  admin %s  s3 %s\n", n.Name, n.Zone, n.PID, state, n.RPC, n.Admin, orNone(n.S3))
	}
	return nil
}

func clusterDown(args []string, out io.Writer) error {
	fs := newFlagSet("cluster down", "[--dir DIR]", clusterDesc, out)
	dir := fs.String("dir", defaultClusterDir(), "directory of the cluster")
	if err := parse(fs, args); err != nil {
		return err
	}
	info, err := realproc.LoadCluster(absPath(*dir))
	if err != nil {
		return err
	}
	start := time.Now()
	stopped, err := realproc.StopCluster(info)
	fmt.Fprintf(out, "stopped %d of %d nodes %v in %v; their data stays in %s\n", len(stopped), len(info.Nodes),
		stopped, time.Since(start).Round(time.Millisecond), info.Dir)
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
