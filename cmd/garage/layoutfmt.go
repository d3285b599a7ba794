package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gogarage/garage/layout"
)

// renderLayoutShow prints the current layout, the staged changes and the
// layout they would give, as `garage layout show`.
func renderLayoutShow(w io.Writer, h *layout.History) {
	cur := h.Current()
	fmt.Fprintln(w, "==== CURRENT CLUSTER LAYOUT ====")
	if len(cur.Members) == 0 {
		fmt.Fprintln(w, "No nodes currently have a role in the cluster.\nSee `garage status` to view available nodes.")
	} else {
		renderMembers(w, cur)
	}
	fmt.Fprintf(w, "\nZone redundancy: %s\n", cur.Params.Redundancy)
	fmt.Fprintf(w, "\nCurrent cluster layout version: %d\n", cur.Number)
	if !h.HasChanges() {
		return
	}
	renderStaged(w, h)
	renderPlan(w, h)
}

// renderMembers prints the roles of v with each node's usable capacity.
func renderMembers(w io.Writer, v *layout.Version) {
	used := map[layout.NodeID]int64{}
	for i, n := range v.Load() {
		used[v.Storage[i]] = int64(n) * v.PartitionSize
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTags\tZone\tCapacity\tUsable capacity")
	for _, m := range v.Members {
		r := m.Role
		if r.Gateway {
			fmt.Fprintf(tw, "%s\t%s\t%s\tgateway\t\n", m.ID.Short(), tags(r.Tags), r.Zone)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s (%.1f%%)\n", m.ID.Short(), tags(r.Tags), r.Zone,
			layout.FormatBytes(r.Capacity), layout.FormatBytes(used[m.ID]), pct(used[m.ID], r.Capacity))
	}
	tw.Flush()
}

func pct(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// renderStaged prints the staged role changes and zone redundancy.
func renderStaged(w io.Writer, h *layout.History) {
	fmt.Fprintln(w, "\n==== STAGED ROLE CHANGES ====")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTags\tZone\tCapacity")
	for _, s := range h.Staging.Roles {
		switch {
		case s.Remove:
			fmt.Fprintf(tw, "%s\tREMOVED\t\t\n", s.Node.Short())
		default:
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Node.Short(), tags(s.Role.Tags), s.Role.Zone, capacity(s.Role))
		}
	}
	tw.Flush()
	if z := h.StagedRedundancy(); z != h.Current().Params.Redundancy {
		fmt.Fprintf(w, "\nZone redundancy: %s\n", z)
	}
}

// renderPlan prints the layout that applying the staging would give.
func renderPlan(w io.Writer, h *layout.History) {
	_, sum, err := h.Plan()
	if err != nil {
		fmt.Fprintf(w, "\n==== NEW CLUSTER LAYOUT AFTER APPLYING CHANGES ====\n\nThe staged changes cannot be applied: %v\n", err)
		fmt.Fprintln(w, "Fix them with `garage layout assign`/`remove`, or cancel them with `garage layout revert`.")
		return
	}
	fmt.Fprintln(w, "\n==== NEW CLUSTER LAYOUT AFTER APPLYING CHANGES ====")
	fmt.Fprint(w, sum.String())
	fmt.Fprintf(w, "\nTo enact the staged role changes, type:\n\n    garage layout apply --version %d\n", h.Current().Number+1)
	fmt.Fprintln(w, "\nYou can also revert all proposed changes with: garage layout revert")
}

// renderLayoutHistory prints the layout versions and, during a transition,
// the update trackers, as `garage layout history`.
func renderLayoutHistory(w io.Writer, h *layout.History) {
	fmt.Fprintln(w, "==== LAYOUT HISTORY ====")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Version\tStatus\tStorage nodes\tGateway nodes")
	for i := len(h.Versions) - 1; i >= 0; i-- {
		status := "draining"
		if i == len(h.Versions)-1 {
			status = "current"
		}
		versionRow(tw, &h.Versions[i], status)
	}
	for i := len(h.Old) - 1; i >= 0; i-- {
		versionRow(tw, &h.Old[i], "historical")
	}
	tw.Flush()
	if h.InTransition() {
		renderTrackers(w, h)
		return
	}
	fmt.Fprintln(w, "\nYour cluster is currently in a stable state with a single live layout version.\n"+
		"No metadata migration is in progress. Note that the migration of data blocks is not tracked,\n"+
		"so you might want to keep old nodes online until their data directories become empty.")
}

func versionRow(w io.Writer, v *layout.Version, status string) {
	gateways := len(v.Members) - len(v.Storage)
	fmt.Fprintf(w, "#%d\t%s\t%d\t%d\n", v.Number, status, len(v.Storage), gateways)
}

// renderTrackers prints every node's ack, sync and sync-ack versions.
func renderTrackers(w io.Writer, h *layout.History) {
	fmt.Fprintln(w, "\n==== UPDATE TRACKERS ====")
	fmt.Fprintln(w, "Several layout versions are currently live in the cluster, and data is being migrated.\n"+
		"This is the internal data that nodes store to know which nodes have what data.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Node\tAck\tSync\tSync-ack")
	for _, id := range h.AllNodes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", id.Short(), trackerValue(h.Trackers.Ack, id),
			trackerValue(h.Trackers.Sync, id), trackerValue(h.Trackers.SyncAck, id))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nIf some nodes are not catching up to the latest layout version in the update trackers,\n"+
		"you might want to fix this by running:\n\n    garage layout skip-dead-nodes --version %d\n", h.Current().Number)
}

func trackerValue(t layout.Tracker, id layout.NodeID) string {
	v, ok := t.Get(id)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("#%d", v)
}
