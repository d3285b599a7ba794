package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

func (c *cli) blockCmd() *command {
	return &command{name: "block", summary: "the node's data blocks: resync errors, details, retry, purge", sub: []*command{
		c.rpcLeaf(&command{name: "block list-errors", summary: "list the blocks whose resync keeps failing on the node",
			usage: "block list-errors [--json]", example: "block list-errors"}, 0, 0, c.blockErrors),
		c.rpcLeaf(&command{name: "block info", summary: "show what the node knows of a block, and the objects that use it",
			usage: "block info <hash> [--json]", example: "block info 8f0a...e3 (64 hexadecimal characters)"}, 1, 1, c.blockInfo),
		c.rpcLeaf(&command{name: "block retry-now", summary: "resync blocks now instead of at their next try",
			usage: "block retry-now (--all | <hash>...)", example: "block retry-now --all"}, 0, -1, c.blockRetry),
		c.rpcLeaf(&command{name: "block purge", summary: "give up on blocks: delete the objects that use them",
			usage: "block purge --yes <hash>...", example: "block purge --yes 8f0a...e3",
			more: `For blocks that no node can provide any more (see block list-errors): every
object whose current version uses one of them gets a delete marker,
uploads in progress using them are aborted, and their references go. The
data of those objects is lost. Without --yes nothing is changed.`}, 1, -1, c.blockPurge),
	}}
}

func (c *cli) blockErrors(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, _ []string) error {
		es, err := cl.BlockErrors(ctx)
		if err != nil {
			return err
		}
		return c.show(*asJSON, es, func(w io.Writer) { renderBlockErrors(w, es) })
	}
}

func (c *cli) blockInfo(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		b, err := cl.BlockInfo(ctx, pos[0])
		if err != nil {
			return err
		}
		return c.show(*asJSON, b, func(w io.Writer) { renderBlockInfo(w, b) })
	}
}

func (c *cli) blockRetry(fs *flag.FlagSet) clientRun {
	all := fs.Bool("all", false, "every block in error")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		if *all == (len(pos) > 0) {
			return c.usage(c.root().find("block").find("retry-now"), fmt.Errorf("give --all or block hashes, not both nor neither"))
		}
		n, err := cl.BlockRetryNow(ctx, garage.BlocksRequest{Hashes: pos, All: *all})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%d blocks queued for a resync now.\n", n)
		return nil
	}
}

func (c *cli) blockPurge(fs *flag.FlagSet) clientRun {
	yes := fs.Bool("yes", false, "confirm: the objects using these blocks are deleted")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		if !*yes {
			return fmt.Errorf("block purge deletes every object that uses the %d block(s) named: add --yes to confirm; nothing was changed", len(pos))
		}
		rep, err := cl.BlockPurge(ctx, garage.BlocksRequest{Hashes: pos})
		fmt.Fprintf(c.stdout, "%d blocks purged: %d objects deleted, %d uploads aborted, %d versions and %d references deleted.\n",
			rep.Blocks, rep.Objects, rep.Uploads, rep.Versions, rep.Refs)
		return err
	}
}
