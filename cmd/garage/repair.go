package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

// repairPoll is how often a followed repair is asked for its progress.
const repairPoll = 500 * time.Millisecond

const repairMore = `What to repair:
  tables      a full anti-entropy pass on every table, with every other node
  blocks      check every block the node has references of: fetch missing
              ones from replicas, drop unneeded ones
  versions    delete the versions their object (or upload) no longer has
  block-refs  delete the block references whose version is deleted, so
              that their blocks can go
  scrub       start, pause, resume or cancel a pass that reads every block
              file and checks its hash (a corrupt file is fetched again);
              its tranquility is a worker variable (garage worker set)

The repair runs in the background on the node. The command follows it,
printing its progress, until it ends (Ctrl-C stops following, not the
repair); --detach returns at once, as do scrub pause, resume and cancel.
With -a it is launched on every node and not followed: garage worker list
on each node shows it.`

func (c *cli) repairCmd() *command {
	cmd := &command{name: "repair", summary: "repair the node's data: tables, blocks, versions, block references, scrub",
		usage:   "repair [-a|--all-nodes] [-d|--detach] (tables | blocks | versions | block-refs | scrub <start|pause|resume|cancel>)",
		example: "repair tables\nrepair -a versions\nrepair scrub start", more: repairMore}
	cmd.setup = func(fs *flag.FlagSet) func([]string) error {
		var f repairFlags
		boolFlag(fs, &f.all, "launch it on every node of the cluster", "a", "all-nodes")
		boolFlag(fs, &f.detach, "return once launched, without following it", "d", "detach")
		return func(pos []string) error {
			req, err := repairRequest(pos)
			if err != nil {
				return c.usage(cmd, err)
			}
			req.AllNodes = f.all
			return c.repair(req, f.detach || f.all || (req.What == garage.RepairScrub && req.Scrub != garage.ScrubStart))
		}
	}
	return cmd
}

// repairFlags are the options of every repair.
type repairFlags struct{ all, detach bool }

// repairRequest reads what to repair from the positional arguments.
func repairRequest(pos []string) (garage.RepairRequest, error) {
	if len(pos) == 0 {
		return garage.RepairRequest{}, errors.New("repair what? tables, blocks, versions, block-refs or scrub")
	}
	req := garage.RepairRequest{What: pos[0]}
	switch {
	case req.What == garage.RepairScrub && len(pos) != 2:
		return req, errors.New("repair scrub takes one of start, pause, resume or cancel")
	case req.What == garage.RepairScrub:
		req.Scrub = pos[1]
		if !slices.Contains([]string{garage.ScrubStart, garage.ScrubPause, garage.ScrubResume, garage.ScrubCancel}, req.Scrub) {
			return req, fmt.Errorf("repair scrub %q: want start, pause, resume or cancel", req.Scrub)
		}
	case !slices.Contains([]string{garage.RepairTables, garage.RepairBlocks, garage.RepairVersions, garage.RepairBlockRefs}, req.What):
		return req, fmt.Errorf("unknown repair %q: want tables, blocks, versions, block-refs or scrub", req.What)
	case len(pos) > 1:
		return req, fmt.Errorf("repair %s takes no further argument, got %q", req.What, pos[1:])
	}
	return req, nil
}

// repair launches req and, unless detach, follows it.
func (c *cli) repair(req garage.RepairRequest, detach bool) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	rep, err := cl.Repair(ctx, req)
	cancel()
	if err != nil {
		return err
	}
	var failed []string
	for _, nr := range rep.Nodes {
		if nr.Error != "" {
			fmt.Fprintf(c.stdout, "Node %s: %s\n", nr.Node.Short(), nr.Error)
			failed = append(failed, nr.Node.Short())
			continue
		}
		fmt.Fprintf(c.stdout, "Node %s: %s\n", nr.Node.Short(), launched(req, nr.Status))
	}
	if len(failed) > 0 {
		return fmt.Errorf("the repair could not be launched on %s", strings.Join(failed, ", "))
	}
	if detach || len(rep.Nodes) != 1 {
		return nil
	}
	return c.follow(cl, req.What, rep.Nodes[0].Status)
}

// launched says what a repair request did on a node.
func launched(req garage.RepairRequest, st garage.RepairStatus) string {
	if req.What != garage.RepairScrub {
		return "repair " + req.What + " launched."
	}
	state := map[string]string{garage.ScrubStart: "started", garage.ScrubPause: "paused",
		garage.ScrubResume: "resumed", garage.ScrubCancel: "cancelled"}[req.Scrub]
	return fmt.Sprintf("scrub %s (%s).", state, st.Progress)
}

// follow prints the progress of repair what until it ends or the user
// interrupts.
func (c *cli) follow(cl *daemon.Client, what string, st garage.RepairStatus) error {
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	last := st.Progress // printed with the launch
	for st.Running {
		if st.Progress != last {
			fmt.Fprintf(c.stdout, "  %s\n", st.Progress)
			last = st.Progress
		}
		select {
		case <-sig.Done():
			fmt.Fprintln(c.stdout, "Stopped following; the repair goes on (garage worker list shows it).")
			return nil
		case <-time.After(repairPoll):
		}
		var err error
		if st, err = cl.RepairState(sig, what); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stdout, "Repair %s: %s\n", what, st.Progress)
	if st.Failed > 0 && what != garage.RepairScrub {
		return fmt.Errorf("repair %s: %d items failed (they stay as they were); last error: %s", what, st.Failed, st.Error)
	}
	return nil
}

func (c *cli) statsCmd() *command {
	return c.rpcLeaf(&command{name: "stats", summary: "print statistics: tables, blocks, objects of the node (or every node) and the cluster",
		usage: "stats [-a|--all-nodes] [--json]", example: "stats\nstats -a",
		more: "Items counts the entries of each table (tombstones included); the counts read them all."}, 0, 0,
		func(fs *flag.FlagSet) clientRun {
			asJSON := jsonFlag(fs)
			var all bool
			boolFlag(fs, &all, "statistics of every node", "a", "all-nodes")
			return func(ctx context.Context, cl *daemon.Client, _ []string) error {
				rep, err := cl.Stats(ctx, garage.StatsRequest{AllNodes: all})
				if err != nil {
					return err
				}
				st, err := cl.Status(ctx)
				if err != nil {
					return err
				}
				return c.show(*asJSON, rep, func(w io.Writer) { renderStats(w, rep, st) })
			}
		})
}
