package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/daemon"
)

// clientRun runs a command against a node, with its positional arguments.
type clientRun func(ctx context.Context, cl *daemon.Client, pos []string) error

// rpcLeaf makes cmd a leaf that checks it got between minArgs and maxArgs
// positional arguments (maxArgs < 0: no limit), then runs what setup
// returns with a client of the node.
func (c *cli) rpcLeaf(cmd *command, minArgs, maxArgs int, setup func(fs *flag.FlagSet) clientRun) *command {
	cmd.setup = func(fs *flag.FlagSet) func([]string) error {
		run := setup(fs)
		return func(pos []string) error {
			if err := argCount(cmd.name, pos, minArgs, maxArgs); err != nil {
				return c.usage(cmd, err)
			}
			return c.withClient(func(ctx context.Context, cl *daemon.Client) error { return run(ctx, cl, pos) })
		}
	}
	return cmd
}

// argCount says what is wrong with the number of arguments of a command.
func argCount(name string, pos []string, minArgs, maxArgs int) error {
	switch {
	case len(pos) < minArgs && minArgs == maxArgs:
		return fmt.Errorf("%s takes %d argument(s), got %d", name, minArgs, len(pos))
	case len(pos) < minArgs:
		return fmt.Errorf("%s takes at least %d argument(s), got %d", name, minArgs, len(pos))
	case maxArgs >= 0 && len(pos) > maxArgs:
		return fmt.Errorf("%s takes at most %d argument(s), got %d: %q", name, maxArgs, len(pos), pos[maxArgs:])
	}
	return nil
}

// jsonFlag registers --json.
func jsonFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("json", false, "print the result as JSON (for scripts)")
}

// show prints v as JSON if asJSON, else with render.
func (c *cli) show(asJSON bool, v any, render func(w io.Writer)) error {
	if asJSON {
		return writeJSON(c.stdout, v)
	}
	render(c.stdout)
	return nil
}

// boolFlag registers a boolean flag under several names.
func boolFlag(fs *flag.FlagSet, p *bool, usage string, names ...string) {
	for _, n := range names {
		fs.BoolVar(p, n, false, usage)
	}
}

// stringFlag registers a string flag under several names.
func stringFlag(fs *flag.FlagSet, p *string, dflt, usage string, names ...string) {
	for _, n := range names {
		fs.StringVar(p, n, dflt, usage)
	}
}
