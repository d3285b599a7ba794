package layout

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// String renders s as the CLI prints it after computing a layout.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "==== LAYOUT VERSION %d ====\n\n", s.Version)
	fmt.Fprintf(&b, "Partitions are replicated %d times on at least %d distinct zones.\n\n", s.Replication, s.ZoneRedundancy)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Optimal partition size:\t%s%s\n", FormatBytes(s.PartitionSize), s.prevSize())
	fmt.Fprintf(tw, "Usable capacity / total cluster capacity:\t%s / %s (%.1f %%)\n",
		FormatBytes(s.UsableCapacity*int64(s.Replication)), FormatBytes(s.TotalCapacity),
		pct(s.UsableCapacity*int64(s.Replication), s.TotalCapacity))
	fmt.Fprintf(tw, "Effective capacity (replication factor %d):\t%s\n", s.Replication, FormatBytes(s.UsableCapacity))
	tw.Flush()
	fmt.Fprintf(&b, "\nA total of %d new copies of partitions need to be transferred.\n", s.Moved)
	for _, z := range s.Zones {
		b.WriteString("\n")
		z.format(&b, s.PartitionSize)
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "\nWARNING: %s", w)
	}
	if len(s.Warnings) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func (s Summary) prevSize() string {
	if s.PrevPartitionSize == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s in previous layout)", FormatBytes(s.PrevPartitionSize))
}

func (z ZoneSummary) format(b *strings.Builder, size int64) {
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tTags\tPartitions\tCapacity\tUsable capacity\n", z.Zone)
	for _, n := range z.Nodes {
		if n.Gateway {
			fmt.Fprintf(tw, "  %s\t%s\tgateway\t\t\n", n.ID.Short(), strings.Join(n.Tags, ","))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d (%d new)\t%s\t%s (%.1f%%)\n", n.ID.Short(), strings.Join(n.Tags, ","),
			n.Partitions, n.New, FormatBytes(n.Capacity), FormatBytes(n.Used), pct(n.Used, n.Capacity))
	}
	used := int64(z.Partitions) * size
	fmt.Fprintf(tw, "  TOTAL\t\t%d (%d unique)\t%s\t%s (%.1f%%)\n", z.Partitions, z.Unique,
		FormatBytes(z.Capacity), FormatBytes(used), pct(used, z.Capacity))
	tw.Flush()
}

// FormatBytes renders n bytes with a decimal unit, as Garage's CLI does
// ("1000.0 MB", "3.9 GB"); values under 1000 are printed exactly.
func FormatBytes(n int64) string {
	if n < 1000 && n > -1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KB", "MB", "GB", "TB", "PB", "EB"}
	f := float64(n) / 1000
	u := 0
	for (f >= 1000 || f <= -1000) && u < len(units)-1 {
		f /= 1000
		u++
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}
