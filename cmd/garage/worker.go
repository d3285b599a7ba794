package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

const workerVarsHelp = `Variables: resync-worker-count (1 to 8 block resync workers),
resync-tranquility and scrub-tranquility (the workers sleep that many times
the duration of each item between items; 0: no pause). A value set is kept
across restarts of the node.`

func (c *cli) workerCmd() *command {
	return &command{name: "worker", summary: "the node's background workers: list, details, settings", sub: []*command{
		c.rpcLeaf(&command{name: "worker list", summary: "list the node's background workers with their state and queues",
			usage: "worker list [-b|--busy] [-e|--errors] [--json]", example: "worker list\nworker list --busy",
			more: `TID numbers the workers for worker info. Tranq is a worker's tranquility,
Done the rounds or items it finished, Queue the items waiting, Errors its
failures (Consec: in a row).`}, 0, 0, c.workerList),
		c.rpcLeaf(&command{name: "worker info", summary: "show one worker in detail",
			usage: "worker info <tid | name> [--json]", example: "worker info 37\nworker info \"Block resync\""}, 1, 1, c.workerInfo),
		c.rpcLeaf(&command{name: "worker get", summary: "print the workers' run-time variables",
			usage: "worker get [<variable>] [--json]", example: "worker get\nworker get resync-tranquility",
			more: workerVarsHelp}, 0, 1, c.workerGet),
		c.rpcLeaf(&command{name: "worker set", summary: "set a workers' run-time variable",
			usage: "worker set <variable> <value>", example: "worker set resync-worker-count 4\nworker set scrub-tranquility 10",
			more: workerVarsHelp}, 2, 2, c.workerSet),
	}}
}

func (c *cli) workerList(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	var req garage.WorkerListRequest
	boolFlag(fs, &req.Busy, "only the workers that are busy", "b", "busy")
	boolFlag(fs, &req.Errors, "only the workers that had errors", "e", "errors")
	return func(ctx context.Context, cl *daemon.Client, _ []string) error {
		ws, err := cl.WorkerList(ctx, req)
		if err != nil {
			return err
		}
		return c.show(*asJSON, ws, func(w io.Writer) { renderWorkerList(w, ws) })
	}
}

func (c *cli) workerInfo(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		ws, err := cl.WorkerList(ctx, garage.WorkerListRequest{})
		if err != nil {
			return err
		}
		wi, err := findWorker(ws, pos[0])
		if err != nil {
			return err
		}
		return c.show(*asJSON, wi, func(w io.Writer) { renderWorkerInfo(w, wi) })
	}
}

// findWorker returns the worker of ws whose TID or name (in any case) is
// name.
func findWorker(ws []garage.WorkerInfo, name string) (garage.WorkerInfo, error) {
	for _, w := range ws {
		if fmt.Sprint(w.ID) == name || strings.EqualFold(w.Name, name) {
			return w, nil
		}
	}
	return garage.WorkerInfo{}, fmt.Errorf("no worker has TID or name %q (see garage worker list)", name)
}

func (c *cli) workerGet(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		name := ""
		if len(pos) > 0 {
			name = pos[0]
		}
		vs, err := cl.WorkerVars(ctx, name)
		if err != nil {
			return err
		}
		return c.show(*asJSON, vs, func(w io.Writer) { renderWorkerVars(w, vs) })
	}
}

func (c *cli) workerSet(*flag.FlagSet) clientRun {
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		v, err := cl.SetWorkerVar(ctx, pos[0], pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s set to %s on node %s.\n", v.Name, v.Value, cl.To.Short())
		return nil
	}
}
