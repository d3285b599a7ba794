package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gogarage/garage/node/daemon"
)

const serverUsage = `usage: garage [-c config] server [--netem <rtt>,<jitter> [--netem-peers <id>,...]]

Runs the node daemon until SIGINT or SIGTERM. Test knobs (environment):
GARAGE_PING_INTERVAL, GARAGE_STATUS_INTERVAL (Go durations such as 500ms),
GARAGE_FAIL_AFTER (failed pings before a peer is down), GARAGE_LOG_LEVEL
(debug, info, warn, error).

Research option: --netem 100ms,20ms delays every message this node sends
to a peer by rtt/2 ± jitter/2 (netem's link shaper), so a cluster whose
nodes all run with it sees 100 ms ± 20 ms round trips; --netem-peers limits
it to links towards the listed full node ids (leaving CLI clients direct).`

func (c *cli) server(args []string) error {
	fs := newFlagSet("server")
	spec := fs.String("netem", "", "shape outgoing links: <rtt>,<jitter>")
	peers := fs.String("netem-peers", "", "shape only links to these node ids (comma-separated)")
	if pos, err := parseInterleaved(fs, args); err != nil || len(pos) > 0 {
		return usage(serverUsage, err)
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	if *spec != "" {
		ns, err := parseNetem(*spec, *peers)
		if err != nil {
			return usage(serverUsage, err)
		}
		sh, wrap := ns.shaper(uint64(time.Now().UnixNano()))
		defer sh.Close()
		cfg.WrapConn = wrap
	}
	if cfg.Tuning, err = tuningFromEnv(c.getenv); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.env("GARAGE_LOG_LEVEL", "info"))); err != nil {
		return fmt.Errorf("GARAGE_LOG_LEVEL: %w", err)
	}
	cfg.Log = slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return daemon.Run(ctx, cfg)
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

const nodeUsage = `usage: garage node id [-q] | garage node connect <id>@<host:port>`

func (c *cli) node(args []string) error {
	if len(args) == 0 {
		return usage(nodeUsage, nil)
	}
	switch args[0] {
	case "id":
		return c.nodeID(args[1:])
	case "connect":
		return c.nodeConnect(args[1:])
	}
	return usage(nodeUsage, fmt.Errorf("unknown command \"node %s\"", args[0]))
}

func (c *cli) nodeID(args []string) error {
	fs := newFlagSet("node id")
	quiet := fs.Bool("q", false, "print only <id>@<addr>")
	fs.BoolVar(quiet, "quiet", false, "print only <id>@<addr>")
	if pos, err := parseInterleaved(fs, args); err != nil || len(pos) > 0 {
		return usage(nodeUsage, err)
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

func (c *cli) nodeConnect(args []string) error {
	pos, err := parseInterleaved(newFlagSet("node connect"), args)
	if err != nil || len(pos) != 1 {
		return usage(nodeUsage, err)
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		if err := cl.Connect(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Success.")
		return nil
	})
}
