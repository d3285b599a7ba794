package main

import (
	"fmt"
	"io"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
)

// renderStats prints node and cluster statistics, as `garage stats`,
// with the storage nodes of st.
func renderStats(w io.Writer, rep garage.StatsReply, st garage.StatusReply) {
	for _, n := range rep.Nodes {
		renderNodeStats(w, n)
	}
	fmt.Fprintln(w, "==== CLUSTER ====")
	c := rep.Cluster
	fields(w, "Buckets", fmt.Sprint(c.Buckets), "Access keys", fmt.Sprint(c.Keys),
		"Objects", fmt.Sprintf("%d, %s", c.Objects, bothSizes(c.Bytes)),
		"Unfinished multipart uploads", fmt.Sprint(c.Uploads))
	renderStorageNodes(w, st.Nodes)
}

// renderNodeStats prints one node's tables, blocks and objects.
func renderNodeStats(w io.Writer, n garage.NodeStats) {
	name := n.Node.Short()
	if n.Hostname != "" {
		name += " (" + n.Hostname + ")"
	}
	fmt.Fprintf(w, "==== NODE %s ====\n", name)
	if n.Error != "" {
		fmt.Fprintf(w, "Error: %s\n\n", n.Error)
		return
	}
	fmt.Fprintln(w, "Table stats:")
	tw := newTable(w)
	fmt.Fprintln(tw, "  Table\tItems\tMerkleTodo\tGcTodo\tInsertQueue")
	for _, t := range n.Tables {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\n", t.Table, t.Items, t.MerkleTodo, t.GCTodo, t.InsertQueue)
	}
	tw.Flush()
	if b := n.Blocks; b != nil {
		fmt.Fprintln(w, "\nBlock manager stats:")
		fields(w, "  RC entries (about the blocks)", fmt.Sprint(b.RCEntries),
			"  Block files", fmt.Sprintf("%d, %s", b.Files, bothSizes(b.Bytes)),
			"  Resync queue", fmt.Sprint(b.ResyncQueue),
			"  Blocks with resync errors", fmt.Sprint(b.ResyncErrors))
	}
	fmt.Fprintf(w, "\nReplicas stored on this node: %d objects, %s, %d unfinished multipart uploads\n\n",
		n.Objects, bothSizes(n.Bytes), n.Uploads)
}

// renderStorageNodes prints the storage nodes with their free space.
func renderStorageNodes(w io.Writer, nodes []cluster.NodeInfo) {
	fmt.Fprintln(w, "\nStorage nodes:")
	tw := newTable(w)
	fmt.Fprintln(tw, "  ID\tHostname\tZone\tCapacity\tDataAvail\tMetaAvail")
	for _, n := range nodes {
		if !n.HasRole || n.Role.Gateway {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", n.ID.Short(), orDash(n.Hostname), n.Role.Zone,
			layout.FormatBytes(n.Role.Capacity), dataAvail(n), metaAvail(n))
	}
	tw.Flush()
}

func metaAvail(n cluster.NodeInfo) string {
	s := n.Space
	if s.MetaTotal == 0 {
		return "?"
	}
	return fmt.Sprintf("%s (%.1f%%)", layout.FormatBytes(int64(s.MetaFree)), 100*float64(s.MetaFree)/float64(s.MetaTotal))
}
