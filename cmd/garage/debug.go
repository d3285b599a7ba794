package main

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/daemon"
)

const debugUsage = `usage: garage debug put <key> <value> | get <key> | delete <key>`

// debug reads and writes the debug key-value table through the daemon's
// quorum coordinator: a put prints the write's timestamp once a write
// quorum acknowledged it; a get prints the value, or fails if there is none.
func (c *cli) debug(args []string) error {
	if len(args) == 0 {
		return usage(debugUsage, nil)
	}
	pos, err := parseInterleaved(newFlagSet("debug"), args[1:])
	if err != nil {
		return usage(debugUsage, err)
	}
	want := map[string]int{"put": 2, "get": 1, "delete": 1}[args[0]]
	if want == 0 || len(pos) != want {
		return usage(debugUsage, nil)
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		return c.debugOp(ctx, cl, args[0], pos)
	})
}

func (c *cli) debugOp(ctx context.Context, cl *daemon.Client, op string, pos []string) error {
	switch op {
	case "put":
		ts, err := cl.Put(ctx, pos[0], "", []byte(pos[1]))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "ok %d\n", ts)
	case "delete":
		ts, err := cl.Delete(ctx, pos[0], "")
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "ok %d\n", ts)
	default:
		r, err := cl.Get(ctx, pos[0], "")
		if err != nil {
			return err
		}
		if !r.Found {
			return fmt.Errorf("key %q not found", pos[0])
		}
		fmt.Fprintf(c.stdout, "%s\n", r.Value)
	}
	return nil
}
