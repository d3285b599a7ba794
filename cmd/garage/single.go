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
garage.toml on loopback (ports 3900 S3, 3901 RPC, 3903 admin, or free
ones if taken), an rpc_secret, an admin token, metadata and data. The
first start gives the node a role (zone dc1, the free space of its data
directory) and applies layout version 1; a restart with the same
--state-dir reuses everything. It prints the lines that point the CLI at
the node.

With --default-bucket NAME it also creates, the first time, an access key
named "default" and the bucket NAME, lets the key read, write and own it,
and prints the export lines that point aws s3 (or any AWS SDK) at the
node's S3 API (port 3900, or a free one); a restart reuses the key and
the bucket.`

// singleNodeFlags are the options of `server --single-node`.
type singleNodeFlags struct {
	on       bool
	stateDir string
	bucket   string
}

func (c *cli) singleNodeFlags(fs *flag.FlagSet) *singleNodeFlags {
	f := &singleNodeFlags{}
	fs.BoolVar(&f.on, "single-node", false, "run a one-node cluster from a generated configuration (see below)")
	fs.StringVar(&f.stateDir, "state-dir", "", "`directory` of the single node's configuration, secrets and data\n(default $XDG_DATA_HOME/garage, else ~/.local/share/garage)")
	fs.StringVar(&f.bucket, "default-bucket", "", "create (once) a `bucket` and an access key for it, and print the S3 credentials")
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
	creds, err := c.defaultBucket(ctx, d, f.bucket)
	if err != nil {
		d.Close()
		return err
	}
	c.printSingleNode(d, created, f.bucket, creds)
	<-ctx.Done()
	return d.Close()
}

// defaultBucket ensures the default key and bucket when one is named.
func (c *cli) defaultBucket(ctx context.Context, d *daemon.Daemon, bucket string) (daemon.Credentials, error) {
	if bucket == "" {
		return daemon.Credentials{}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	return d.EnsureDefaultBucket(ctx, bucket)
}

// printSingleNode prints where the node listens and the lines that point
// a shell (and, with a default bucket, an S3 client) at it.
func (c *cli) printSingleNode(d *daemon.Daemon, created bool, bucket string, creds daemon.Credentials) {
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
	if u := daemon.EndpointURL(cfg.S3API.APIBindAddr); u != "" {
		fmt.Fprintf(&b, "  S3 API     %s  (region %s)\n", u, cfg.S3API.S3Region)
	}
	fmt.Fprintf(&b, "\nIn another shell, point the CLI at it:\n\n")
	fmt.Fprintf(&b, "export GARAGE_CONFIG_FILE=%s\n", cfg.Path)
	if bucket != "" {
		fmt.Fprintf(&b, "\nand an S3 client at bucket %s, with access key %q:\n\n", bucket, daemon.DefaultKeyName)
		b.WriteString(strings.Join(creds.Exports(), "\n") + "\n")
		fmt.Fprintf(&b, "\nthen try: echo hello > hello.txt; aws s3 cp hello.txt s3://%s/; aws s3 ls s3://%s\n", bucket, bucket)
		fmt.Fprintf(&b, "(awscli before 2.13, such as Debian 12's, ignores AWS_ENDPOINT_URL: add --endpoint-url $AWS_ENDPOINT_URL)\n")
	} else {
		fmt.Fprintf(&b, "\nthen try: garage status; garage debug put hello world; garage debug get hello\n")
	}
	fmt.Fprintf(&b, "Stop it with Ctrl-C; start it again with the same command to reuse everything.\n")
	fmt.Fprint(c.stdout, b.String())
}
