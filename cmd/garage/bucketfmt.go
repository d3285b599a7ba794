package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
)

// renderBucketList prints the buckets, as `garage bucket list`.
func renderBucketList(w io.Writer, bs []garage.BucketSummary) {
	if len(bs) == 0 {
		fmt.Fprintln(w, "No bucket yet: create one with \"garage bucket create <name>\".")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "ID\tCreated\tGlobal aliases\tLocal aliases")
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", shortHex(b.ID), date(b.Created), orDash(strings.Join(b.Aliases, ", ")),
			orDash(localAliases(b.LocalAliases)))
	}
	tw.Flush()
}

// localAliases renders local aliases as "name (key id)".
func localAliases(las []garage.LocalAliasInfo) string {
	s := make([]string, len(las))
	for i, la := range las {
		s[i] = fmt.Sprintf("%s (%s)", la.Name, la.Key)
	}
	return strings.Join(s, ", ")
}

// renderBucketInfo prints a bucket, its counters and its keys, as
// `garage bucket info`.
func renderBucketInfo(w io.Writer, b garage.BucketInfoReply) {
	fmt.Fprintln(w, "==== BUCKET INFORMATION ====")
	fields(w,
		"Bucket", b.ID,
		"Created", stampOf(b.Created),
		"", "",
		"Size", bothSizes(b.Bytes),
		"Objects", fmt.Sprint(b.Objects),
		"Unfinished multipart uploads", fmt.Sprint(b.Uploads),
		"", "",
		"Website access", website(b),
		"Quotas", fmt.Sprintf("max size %s, max objects %s", quota(b.MaxSize, true), quota(b.MaxObjects, false)),
		"CORS rules", yesNo(b.HasCORS),
		"Lifecycle rules", yesNo(b.HasLifecycle),
		"", "",
		"Global aliases", orDash(strings.Join(b.Aliases, ", ")))
	fmt.Fprintln(w, "\n==== KEYS FOR THIS BUCKET ====")
	if len(b.Keys) == 0 {
		fmt.Fprintln(w, "No access key has a permission on this bucket: grant one with \"garage bucket allow\".")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "Permissions\tAccess key\tName\tLocal aliases")
	for _, k := range b.Keys {
		var las []string
		for _, la := range b.LocalAliases {
			if la.Key == k.Key {
				las = append(las, la.Name)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", perms(k.Read, k.Write, k.Owner), k.Key, orDash(k.Name), orDash(strings.Join(las, ", ")))
	}
	tw.Flush()
}

func website(b garage.BucketInfoReply) string {
	if !b.Website {
		return "no"
	}
	s := "yes, index document " + b.IndexDocument
	if b.ErrorDocument != "" {
		s += ", error document " + b.ErrorDocument
	}
	return s
}

func quota(v uint64, size bool) string {
	switch {
	case v == 0:
		return "none"
	case size:
		return bothSizes(int64(v))
	}
	return fmt.Sprint(v)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// perms renders permissions as Garage does: R, W and O, or dashes.
func perms(r, w, o bool) string {
	s := []byte("---")
	for i, on := range []bool{r, w, o} {
		if on {
			s[i] = "RWO"[i]
		}
	}
	return string(s)
}

// bothSizes renders a size in binary and in decimal units, as Garage
// prints bucket sizes: "1.2 MiB (1.3 MB)".
func bothSizes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%s (%s)", binarySize(n), layout.FormatBytes(n))
}

// binarySize renders n bytes in KiB, MiB, ...
func binarySize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	f, units := float64(n)/1024, []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	u := 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}

// newTable returns the tab writer of the CLI's tables.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// shortHex is the first 16 characters of an id, as Garage shortens them.
func shortHex(id string) string {
	if len(id) > 16 {
		return id[:16]
	}
	return id
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

// stampOf renders a date with its time, in UTC.
func stampOf(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// fields prints "Name:  value" lines, the values aligned; an empty name
// prints a blank line.
func fields(w io.Writer, kv ...string) {
	width := 0
	for i := 0; i < len(kv); i += 2 {
		width = max(width, len(kv[i]))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "%-*s  %s\n", width+1, kv[i]+":", kv[i+1])
	}
}
