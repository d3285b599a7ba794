package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

func (c *cli) statusCmd() *command {
	return &command{name: "status", summary: "list the nodes, healthy and failed, with their roles",
		usage: "status [--json]", example: "status\nstatus --json",
		setup: func(fs *flag.FlagSet) func([]string) error {
			asJSON := fs.Bool("json", false, "print the node's view of the cluster as JSON")
			return c.statusRun("status", asJSON, func(st garage.StatusReply) { renderStatus(c.stdout, st) })
		}}
}

func (c *cli) healthCmd() *command {
	return &command{name: "health", summary: "print the cluster's health: nodes up, partitions with a quorum",
		usage: "health [--json]", example: "health",
		more: `Exit status 0 when every partition has a write quorum (healthy or
degraded), 1 when some has not (unavailable).`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			asJSON := fs.Bool("json", false, "print the health as JSON")
			return c.statusRun("health", asJSON, func(st garage.StatusReply) { renderHealth(c.stdout, st.Health) })
		}}
}

// statusRun returns the runner of status and health: fetch the node's
// status, print it as JSON or with render.
func (c *cli) statusRun(name string, asJSON *bool, render func(garage.StatusReply)) func([]string) error {
	return func(pos []string) error {
		if len(pos) > 0 {
			return c.usage(c.root().find(name), fmt.Errorf("%s takes no argument", name))
		}
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			st, err := cl.Status(ctx)
			if err != nil {
				return err
			}
			switch {
			case *asJSON && name == "health":
				err = writeJSON(c.stdout, st.Health)
			case *asJSON:
				err = writeJSON(c.stdout, st)
			default:
				render(st)
			}
			if err == nil && name == "health" && st.Health.Status == cluster.Unavailable {
				err = errors.New("the cluster is unavailable: some partitions lack a write quorum")
			}
			return err
		})
	}
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// renderStatus prints the healthy and failed nodes as `garage status`.
func renderStatus(w io.Writer, st garage.StatusReply) {
	now := selfMono(st)
	fmt.Fprintln(w, "==== HEALTHY NODES ====")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHostname\tAddress\tTags\tZone\tCapacity\tDataAvail")
	roles := false
	for _, n := range st.Nodes {
		roles = roles || n.HasRole
		if n.Up {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.ID.Short(), orDash(n.Hostname), orDash(n.Addr), roleColumns(n), dataAvail(n))
		}
	}
	tw.Flush()
	renderFailed(w, st.Nodes, now)
	if !roles {
		fmt.Fprintln(w, "\nNo node has a role in the cluster layout yet: assign roles with \"garage layout assign\".")
	}
}

// renderFailed prints the nodes that are down, if any.
func renderFailed(w io.Writer, nodes []cluster.NodeInfo, now time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	header := false
	for _, n := range nodes {
		if n.Up {
			continue
		}
		if !header {
			fmt.Fprintln(w, "\n==== FAILED NODES ====")
			fmt.Fprintln(tw, "ID\tHostname\tAddress\tTags\tZone\tCapacity\tLast seen")
			header = true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.ID.Short(), orDash(n.Hostname), orDash(n.Addr), roleColumns(n), lastSeen(n, now))
	}
	tw.Flush()
}

// selfMono is the reporting node's monotonic clock when it answered.
func selfMono(st garage.StatusReply) time.Duration {
	for _, n := range st.Nodes {
		if n.Self {
			return n.LastSeen
		}
	}
	return 0
}

// roleColumns renders the Tags, Zone and Capacity columns.
func roleColumns(n cluster.NodeInfo) string {
	if !n.HasRole {
		return "NO ROLE ASSIGNED\t\t"
	}
	return fmt.Sprintf("%s\t%s\t%s", tags(n.Role.Tags), n.Role.Zone, capacity(n.Role))
}

func tags(ts []string) string { return "[" + strings.Join(ts, ",") + "]" }

func capacity(r layout.Role) string {
	if r.Gateway {
		return "gateway"
	}
	return layout.FormatBytes(r.Capacity)
}

func dataAvail(n cluster.NodeInfo) string {
	s := n.Space
	if s.DataTotal == 0 {
		return "?"
	}
	return fmt.Sprintf("%s (%.1f%%)", layout.FormatBytes(int64(s.DataFree)), 100*float64(s.DataFree)/float64(s.DataTotal))
}

func lastSeen(n cluster.NodeInfo, now time.Duration) string {
	if n.LastSeen == 0 || now < n.LastSeen {
		return "never seen"
	}
	return fmt.Sprintf("%s ago", (now - n.LastSeen).Round(time.Second))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// renderHealth prints the cluster's health as Garage defines it.
func renderHealth(w io.Writer, h cluster.Health) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Cluster health:\t%s\n", h.Status)
	fmt.Fprintf(tw, "Known nodes:\t%d\n", h.KnownNodes)
	fmt.Fprintf(tw, "Connected nodes:\t%d\n", h.ConnectedNodes)
	fmt.Fprintf(tw, "Storage nodes:\t%d (%d up)\n", h.StorageNodes, h.StorageNodesUp)
	fmt.Fprintf(tw, "Partitions:\t%d (%d with a write quorum, %d with every replica up)\n",
		h.Partitions, h.PartitionsQuorum, h.PartitionsAllOK)
	tw.Flush()
	fmt.Fprintln(w, healthAdvice(h.Status))
}

func healthAdvice(s cluster.HealthStatus) string {
	switch s {
	case cluster.Healthy:
		return "\nAll storage nodes of the current layout are up."
	case cluster.Degraded:
		return "\nSome storage nodes are down, but every partition still has a write quorum."
	}
	return "\nSome partitions lack a write quorum: reads and writes to them fail."
}
