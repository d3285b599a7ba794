package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/daemon"
)

// debugCmd reads and writes the debug key-value table through the
// daemon's quorum coordinator: a put reports the write's timestamp once a
// write quorum acknowledged it; a get prints the value alone, or fails if
// there is none.
func (c *cli) debugCmd() *command {
	leaf := func(op, usage, summary, example string, args int) *command {
		cmd := &command{name: "debug " + op, summary: summary, usage: usage, example: example}
		cmd.setup = func(*flag.FlagSet) func([]string) error {
			return func(pos []string) error {
				if len(pos) != args {
					return c.usage(cmd, fmt.Errorf("debug %s takes %d argument(s), got %d", op, args, len(pos)))
				}
				return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
					return c.debugOp(ctx, cl, op, pos)
				})
			}
		}
		return cmd
	}
	return &command{name: "debug", summary: "use the debug key-value table directly (quorum reads and writes)", sub: []*command{
		leaf("put", "debug put <key> <value>", "write a value under a key", "debug put greeting hello", 2),
		leaf("get", "debug get <key>", "print the value of a key (exit 1 if it has none)", "debug get greeting", 1),
		leaf("delete", "debug delete <key>", "delete a key", "debug delete greeting", 1),
	}}
}

func (c *cli) debugOp(ctx context.Context, cl *daemon.Client, op string, pos []string) error {
	switch op {
	case "put":
		ts, err := cl.Put(ctx, pos[0], "", []byte(pos[1]))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Written %q (%d bytes), timestamp %s.\n", pos[0], len(pos[1]), stamp(ts))
	case "delete":
		ts, err := cl.Delete(ctx, pos[0], "")
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Deleted %q, timestamp %s.\n", pos[0], stamp(ts))
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

// stamp renders a write timestamp (milliseconds since the epoch) with its
// date.
func stamp(ms uint64) string {
	return fmt.Sprintf("%d (%s)", ms, time.UnixMilli(int64(ms)).UTC().Format("2006-01-02 15:04:05.000 UTC"))
}
