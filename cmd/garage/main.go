// Command garage is the node daemon and its admin CLI, one binary with
// Garage's subcommands:
//
//	garage [-c /etc/garage.toml] server [--netem <rtt>,<jitter> [--netem-peers <id>,...]]
//	garage node id [-q]
//	garage node connect <id>@<host:port>
//	garage status
//	garage health
//	garage layout show | history
//	garage layout assign -z <zone> (-c <capacity> | -g) [-t <tag>]... <node id prefix>...
//	garage layout remove <node id prefix>
//	garage layout config -r <zone redundancy | maximum>
//	garage layout apply --version <n>
//	garage layout revert
//	garage layout skip-dead-nodes --version <n> [--allow-missing-data]
//	garage debug put <key> <value> | get <key> | delete <key>
//
// Every command but server and node id is an RPC client of the local daemon
// (or of the one named by -h <id>@<host:port>): it connects with rpc_secret
// and a throw-away identity, like Garage's CLI.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run executes one command line and returns the process exit status: 0 on
// success, 1 on error, 2 on a usage error.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 1 && (args[0] == "help" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintln(stdout, topUsage)
		return 0
	}
	c := &cli{stdout: stdout, stderr: stderr, getenv: getenv}
	err := c.main(args)
	switch {
	case err == nil:
		return 0
	case errors.As(err, new(*usageError)):
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

const topUsage = `usage: garage [-c config] [-h <id>@<host:port>] [-s secret] <command>

commands:
  server                       run the node daemon
  node id [-q]                 print this node's <id>@<rpc_public_addr>
  node connect <id>@<addr>     make the node connect to another one
  status                       list the nodes and their state
  health                       print the cluster's health
  layout show|history|assign|remove|config|apply|revert|skip-dead-nodes
  debug put|get|delete         use the debug key-value table directly`

func (c *cli) main(args []string) error {
	fs := newFlagSet("garage")
	fs.StringVar(&c.configPath, "c", c.env("GARAGE_CONFIG_FILE", "/etc/garage.toml"), "configuration file")
	fs.StringVar(&c.configPath, "config", c.configPath, "configuration file")
	fs.StringVar(&c.rpcHost, "h", c.getenv("GARAGE_RPC_HOST"), "daemon to talk to, <id>@<host:port>")
	fs.StringVar(&c.rpcHost, "rpc-host", c.rpcHost, "daemon to talk to, <id>@<host:port>")
	fs.StringVar(&c.secret, "s", "", "rpc_secret (or GARAGE_RPC_SECRET)")
	fs.StringVar(&c.secret, "rpc-secret", "", "rpc_secret (or GARAGE_RPC_SECRET)")
	fs.StringVar(&c.secretFile, "rpc-secret-file", "", "file holding rpc_secret (or GARAGE_RPC_SECRET_FILE)")
	if err := fs.Parse(args); err != nil {
		return usage(topUsage, err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usage(topUsage, nil)
	}
	return c.dispatch(rest[0], rest[1:])
}

func (c *cli) dispatch(cmd string, args []string) error {
	switch cmd {
	case "server":
		return c.server(args)
	case "node":
		return c.node(args)
	case "status":
		return c.status(args)
	case "health":
		return c.health(args)
	case "layout":
		return c.layout(args)
	case "debug":
		return c.debug(args)
	}
	return usage(topUsage, fmt.Errorf("unknown command %q", cmd))
}

func (c *cli) env(name, dflt string) string {
	if v := c.getenv(name); v != "" {
		return v
	}
	return dflt
}

// usageError is a command line that does not parse; its message ends with
// the usage text.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usage returns a usage error: text, preceded by err's message if any.
func usage(text string, err error) error {
	if err != nil {
		return &usageError{msg: err.Error() + "\n" + text}
	}
	return &usageError{msg: text}
}
