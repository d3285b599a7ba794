// Command garage is the node daemon and its admin CLI, one binary with
// Garage's subcommands (run `garage --help` for the list, and
// `garage <command> --help` for each):
//
//	garage server [--single-node [--state-dir DIR]] [--netem <rtt>,<jitter>]
//	garage node id | connect <id>@<host:port> | forget <id prefix>
//	garage status | health
//	garage layout show | history | assign | remove | config | apply | revert | skip-dead-nodes
//	garage bucket list | info | create | delete | alias | unalias | allow | deny | website | set-quotas
//	garage key list | info | create | import | rename | delete | allow | deny
//	garage repair tables | blocks | versions | block-refs | scrub
//	garage stats; garage worker list | info | get | set
//	garage block list-errors | info | retry-now | purge
//	garage debug put | get | delete
//	garage config keys | check
//	garage version
//
// Every command but server, node id and config is an RPC client of the
// local daemon (or of the one named by --rpc-host <id>@<host:port>): it
// connects with rpc_secret and a throw-away identity, like Garage's CLI.
// The global flags (-c/--config, --rpc-host, --rpc-secret,
// --rpc-secret-file) are accepted before or after the command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(procsPerCore * runtime.GOMAXPROCS(0))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// defaultGOGC is the garbage collector's target unless GOGC is set. A
// node's live heap is small (10 to 20 MiB), so Go's default of 100
// collects after every few megabytes of upload traffic; at 300 a large
// PUT costs about 10 % less CPU (measured with s3bench: 6.65 against
// 5.97 ms per MiB) for about 13 MiB more resident memory under load.
const defaultGOGC = 300

// procsPerCore multiplies Go's default GOMAXPROCS (the cores this process
// may use) unless GOMAXPROCS is set. A node spends much of a write in
// blocking disk calls (O_DIRECT block writes, fsync of block files and
// of metadata commits), and a goroutine in such a call holds its
// processor until the runtime hands it to another thread; with one
// processor per core, cores sat idle while requests were ready to run
// (about 20 % idle at 8 concurrent 1 MiB PUTs on 2 cores). With two per
// core, PUT throughput rose by 10 to 15 % (s3bench, 8 clients; GET
// 64 KiB unchanged, and 7 % lower at four per core). Setting it fixes
// the value: Go no longer follows changes of the CPU quota.
const procsPerCore = 2

// run executes one command line and returns the process exit status: 0 on
// success, 1 on error, 2 on a usage error.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c := &cli{stdout: stdout, stderr: stderr, getenv: getenv}
	err := c.main(args)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintf(stderr, "Error: %v\n", err)
	return 1
}

// cli holds one invocation's streams and global options.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string

	configPath string
	rpcHost    string
	secret     string
	secretFile string
}

// root is the command tree.
func (c *cli) root() *command {
	return &command{summary: "the Garage S3 object store: node daemon and admin CLI", sub: []*command{
		c.serverCmd(), c.nodeCmd(), c.statusCmd(), c.healthCmd(), c.layoutCmd(),
		c.bucketCmd(), c.keyCmd(), c.repairCmd(), c.statsCmd(), c.workerCmd(), c.blockCmd(),
		c.debugCmd(), c.configCmd(), c.versionCmd(),
	}}
}

func (c *cli) main(args []string) error {
	c.configPath = c.env("GARAGE_CONFIG_FILE", "/etc/garage.toml")
	c.rpcHost = c.getenv("GARAGE_RPC_HOST")
	root := c.root()
	fs := newFlagSet("garage")
	global := c.globalFlags(fs)
	version := fs.Bool("version", false, "print the version and exit")
	fs.BoolVar(version, "V", false, "print the version and exit")
	if err := fs.Parse(hostAlias(args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.help(c.stdout, root, fs, global)
			return nil
		}
		return c.usage(root, err)
	}
	if *version {
		fmt.Fprintln(c.stdout, versionString())
		return nil
	}
	return c.exec(root, fs.Args())
}

// hostAlias rewrites Garage's `-h <id>@<host:port>` (the node to talk to)
// to --rpc-host before the command; any other -h asks for help.
func hostAlias(args []string) []string {
	out := append([]string(nil), args...)
	for i := 0; i < len(out)-1; i++ {
		if !strings.HasPrefix(out[i], "-") {
			break
		}
		if out[i] == "-h" && strings.Contains(out[i+1], "@") {
			out[i] = "--rpc-host"
		}
	}
	return out
}

// globalFlags registers the global flags on fs, each under the names the
// command does not use itself (layout assign keeps -c for capacity), and
// returns the names it registered.
func (c *cli) globalFlags(fs *flag.FlagSet) map[string]bool {
	names := map[string]bool{}
	str := func(p *string, aliases []string, usage string) {
		for _, n := range aliases {
			if fs.Lookup(n) == nil {
				fs.StringVar(p, n, *p, usage)
				names[n] = true
			}
		}
	}
	str(&c.configPath, []string{"c", "config"}, "configuration `file` (or GARAGE_CONFIG_FILE)")
	str(&c.rpcHost, []string{"rpc-host"}, "node to talk to, `id@host:port` (or GARAGE_RPC_HOST; default: the node of the configuration file)")
	str(&c.secret, []string{"s", "rpc-secret"}, "rpc_secret, 64 `hex` characters (or GARAGE_RPC_SECRET)")
	str(&c.secretFile, []string{"rpc-secret-file"}, "`file` holding rpc_secret (or GARAGE_RPC_SECRET_FILE)")
	return names
}

func (c *cli) env(name, dflt string) string {
	if v := c.getenv(name); v != "" {
		return v
	}
	return dflt
}

func (c *cli) versionCmd() *command {
	return &command{name: "version", summary: "print the version of this binary", usage: "version", example: "version",
		setup: func(*flag.FlagSet) func([]string) error {
			return func(pos []string) error {
				if len(pos) > 0 {
					return fmt.Errorf("version takes no argument")
				}
				fmt.Fprintln(c.stdout, versionString())
				return nil
			}
		}}
}

// versionString names the module version, the commit it was built from
// (when known) and the Go version.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "garage (unknown version)"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	s := "garage " + v
	for _, kv := range bi.Settings {
		if kv.Key == "vcs.revision" && len(kv.Value) >= 12 {
			s += " (commit " + kv.Value[:12] + ")"
		}
	}
	return s + ", " + bi.GoVersion + ", a Go implementation of Garage"
}
