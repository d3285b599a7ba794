package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"syscall"
	"time"

	"github.com/gogarage/garage/node/daemon"
)

const serverMore = `Runs the node daemon until SIGINT or SIGTERM, with the configuration file
(-c, default /etc/garage.toml); 'garage config keys' lists its keys and
defaults. The failure detector's timings come from the environment:
GARAGE_PING_INTERVAL and GARAGE_STATUS_INTERVAL (Go durations such as
500ms) and GARAGE_FAIL_AFTER (missed pings before a peer is suspected);
'garage config keys' prints their defaults. Logs go to stderr (log_level,
log_format; GARAGE_LOG_LEVEL or RUST_LOG override the level).

Research option: --netem 100ms,20ms delays every message this node sends
to a peer by rtt/2 ± jitter/2 (netem's link shaper), so a cluster whose
nodes all run with it sees 100 ms ± 20 ms round trips; --netem-peers limits
it to links towards the listed full node ids (leaving CLI clients direct).`

func (c *cli) serverCmd() *command {
	return &command{name: "server", summary: "run the node daemon",
		usage: "server [-c <config>] [--single-node [--state-dir <dir>] [--default-bucket <name>]] [--netem <rtt>,<jitter> [--netem-peers <id>,...]]",
		more:  serverMore + "\n\n" + singleNodeMore,
		example: `server -c /etc/garage.toml
			server --single-node
			server --single-node --default-bucket photos`,
		setup: c.serverSetup}
}

func (c *cli) serverSetup(fs *flag.FlagSet) func([]string) error {
	spec := fs.String("netem", "", "shape outgoing links: `rtt,jitter`, e.g. 100ms,20ms")
	peers := fs.String("netem-peers", "", "shape only links to these `node ids` (comma-separated)")
	single := c.singleNodeFlags(fs)
	return func(pos []string) error {
		if len(pos) > 0 {
			return c.usage(c.serverCmd(), fmt.Errorf("server takes no argument, got %q", pos[0]))
		}
		for _, r := range recorders {
			if path := c.getenv(r.env); path != "" {
				done, err := r.startTo(path)
				if err != nil {
					return err
				}
				defer done()
			}
		}
		if single.on {
			return c.singleNode(single)
		}
		if single.bucket != "" || single.stateDir != "" {
			return c.usage(c.serverCmd(), fmt.Errorf("--state-dir and --default-bucket go with --single-node"))
		}
		cfg, err := c.config()
		if err != nil {
			return err
		}
		return c.serve(cfg, *spec, *peers)
	}
}

// serve runs a daemon of cfg until a signal.
func (c *cli) serve(cfg daemon.Config, netemSpec, netemPeers string) error {
	if netemSpec != "" {
		ns, err := parseNetem(netemSpec, netemPeers)
		if err != nil {
			return c.usage(c.serverCmd(), err)
		}
		sh, wrap := ns.shaper(uint64(time.Now().UnixNano()))
		defer sh.Close()
		cfg.WrapConn = wrap
	}
	if err := c.prepare(&cfg); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return daemon.Run(ctx, cfg)
}

// recorders are what the daemon can record of its whole run into a file
// named by an environment variable.
var recorders = []recorder{
	// A CPU profile, for go tool pprof.
	{"GARAGE_CPU_PROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile},
	// An execution trace, for go tool trace: where requests wait, the
	// scheduler's view of the cores.
	{"GARAGE_TRACE", trace.Start, trace.Stop},
}

type recorder struct {
	env   string
	start func(io.Writer) error
	stop  func()
}

// startTo starts recording to a new file at path until the returned
// function is called.
func (r recorder) startTo(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.env, err)
	}
	if err := r.start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", r.env, err)
	}
	return func() { r.stop(); f.Close() }, nil
}

// prepare sets the tuning and the logger of a configuration to serve.
func (c *cli) prepare(cfg *daemon.Config) error {
	var err error
	if cfg.Tuning, err = tuningFromEnv(c.getenv); err != nil {
		return err
	}
	cfg.Log, err = daemon.NewLogger(c.stderr, *cfg, c.env("GARAGE_LOG_LEVEL", c.getenv("RUST_LOG")))
	return err
}

// tuningFromEnv reads the cluster timings tests shorten.
func tuningFromEnv(getenv func(string) string) (daemon.Tuning, error) {
	var t daemon.Tuning
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"GARAGE_PING_INTERVAL", &t.PingInterval}, {"GARAGE_STATUS_INTERVAL", &t.StatusInterval}} {
		if v := getenv(d.name); v != "" {
			dur, err := time.ParseDuration(v)
			if err != nil || dur <= 0 {
				return t, fmt.Errorf("%s: got %q, want a positive duration such as 500ms", d.name, v)
			}
			*d.dst = dur
		}
	}
	if v := getenv("GARAGE_FAIL_AFTER"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return t, fmt.Errorf("GARAGE_FAIL_AFTER: got %q, want a positive integer", v)
		}
		t.FailAfter = n
	}
	return t, nil
}

func (c *cli) nodeCmd() *command {
	return &command{name: "node", summary: "this node's identity, and connections to other nodes", sub: []*command{
		{name: "node id", summary: "print this node's <id>@<rpc_public_addr>", usage: "node id [-q]",
			example: "node id -q", setup: c.nodeIDSetup},
		{name: "node connect", summary: "make the node connect to another one", usage: "node connect <id>@<host:port>",
			example: "node connect 563e1ac825ee3323aa441e72c26d1030d6d4414aeb3dd25287c531e7fc2bc95d@10.0.0.2:3901",
			setup:   c.nodeConnectSetup},
		{name: "node forget", summary: "forget a node that is down and has no role (a failed handshake, a retired machine)",
			usage: "node forget <node id prefix>", example: "node forget 563e1ac8",
			more: `The node must be down and named by no live layout version (remove it
with 'garage layout remove' and apply first). The other nodes forget it too.
A forgotten node that comes back is a peer again.`,
			setup: c.nodeForgetSetup},
	}}
}

func (c *cli) nodeIDSetup(fs *flag.FlagSet) func([]string) error {
	quiet := fs.Bool("q", false, "print only <id>@<addr>")
	fs.BoolVar(quiet, "quiet", false, "print only <id>@<addr>")
	return func(pos []string) error {
		if len(pos) > 0 {
			return c.usage(c.nodeCmd().find("id"), fmt.Errorf("node id takes no argument"))
		}
		cfg, err := c.config()
		if err != nil {
			return err
		}
		target, err := daemon.LocalTarget(cfg)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, target)
		if !*quiet {
			fmt.Fprintf(c.stderr, "\nTo instruct a node to connect to this node, run on that node:\n"+
				"    garage [-c <config file>] node connect %s\n"+
				"\nOr add it to bootstrap_peers in the configuration file of the other nodes.\n", target)
		}
		return nil
	}
}

func (c *cli) nodeConnectSetup(*flag.FlagSet) func([]string) error {
	return func(pos []string) error {
		if len(pos) != 1 {
			return c.usage(c.nodeCmd().find("connect"), errors.New("want one <id>@<host:port>"))
		}
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			if err := cl.Connect(ctx, pos[0]); err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, "Success.")
			return nil
		})
	}
}

func (c *cli) nodeForgetSetup(*flag.FlagSet) func([]string) error {
	return func(pos []string) error {
		if len(pos) != 1 {
			return c.usage(c.nodeCmd().find("forget"), errors.New("want one node id or prefix"))
		}
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			st, err := cl.Status(ctx)
			if err != nil {
				return err
			}
			id, err := resolveNode(pos[0], knownIDs(st))
			if err != nil {
				return err
			}
			if err := cl.Forget(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "Node %s forgotten.\n", id.Short())
			return nil
		})
	}
}
