package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gogarage/garage/node/daemon"
)

const singleNodeMore = `Single node: --single-node starts a node with no configuration file to
write first. Its state lives in --state-dir (default
$XDG_DATA_HOME/garage, else ~/.local/share/garage): a generated
garage.toml on loopback (ports 3901 RPC, 3903 admin, or free ones if
taken), an rpc_secret, an admin token, metadata and data. The first start
gives the node a role (zone dc1, the free space of its data directory) and
applies layout version 1; a restart with the same --state-dir reuses
everything. It prints the lines that point the CLI at the node.`

// singleNodeFlags are the options of `server --single-node`.
type singleNodeFlags struct {
	on       bool
	stateDir string
}

func (c *cli) singleNodeFlags(fs *flag.FlagSet) *singleNodeFlags {
	f := &singleNodeFlags{}
	fs.BoolVar(&f.on, "single-node", false, "run a one-node cluster from a generated configuration (see below)")
	fs.StringVar(&f.stateDir, "state-dir", "", "`directory` of the single node's configuration, secrets and data\n(default $XDG_DATA_HOME/garage, else ~/.local/share/garage)")
	return f
}

// defaultStateDir is $XDG_DATA_HOME/garage, else ~/.local/share/garage.
func defaultStateDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "garage")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "garage")
	}
	return "garage-data"
}

// singleNode runs `server --single-node` until a signal.
func (c *cli) singleNode(f *singleNodeFlags) error {
	dir, err := filepath.Abs(cmp.Or(f.stateDir, defaultStateDir(c.getenv)))
	if err != nil {
		return err
	}
	cfg, created, err := daemon.SingleNode(dir, c.overrides())
	if err != nil {
		return err
	}
	if err := c.prepare(&cfg); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := daemon.Start(ctx, cfg)
	if err != nil {
		return err
	}
	if _, err := d.EnsureSingleLayout(); err != nil {
		d.Close()
		return err
	}
	c.printSingleNode(d, created)
	<-ctx.Done()
	return d.Close()
}

// printSingleNode prints where the node listens and the lines that point
// a shell at it.
func (c *cli) printSingleNode(d *daemon.Daemon, created bool) {
	cfg := d.Config()
	verb := "Reusing"
	if created {
		verb = "Created"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Garage is running as a single node. %s its state in %s.\n\n", verb, filepath.Dir(cfg.Path))
	fmt.Fprintf(&b, "  node       %s@%s\n", d.ID(), cfg.RPCPublicAddr)
	if a := d.AdminAddr(); a != "" {
		fmt.Fprintf(&b, "  admin API  http://%s  (bearer token in %s)\n", a, cfg.Admin.AdminTokenFile)
	}
	fmt.Fprintf(&b, "\nIn another shell, point the CLI at it:\n\n")
	fmt.Fprintf(&b, "export GARAGE_CONFIG_FILE=%s\n", cfg.Path)
	fmt.Fprintf(&b, "\nthen try: garage status; garage debug put hello world; garage debug get hello\n")
	fmt.Fprintf(&b, "Stop it with Ctrl-C; start it again with the same command to reuse everything.\n")
	fmt.Fprint(c.stdout, b.String())
}
