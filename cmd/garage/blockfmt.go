package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/node/garage"
)

// renderBlockErrors prints the blocks in error, as `garage block
// list-errors`.
func renderBlockErrors(w io.Writer, es []garage.BlockErrorInfo) {
	if len(es) == 0 {
		fmt.Fprintln(w, "No block has resync errors on this node.")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "Hash\tFailures\tLast try\tNext try")
	for _, e := range es {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", e.Hash, e.Count, stampOf(e.LastTry), stampOf(e.NextTry))
	}
	tw.Flush()
}

// renderBlockInfo prints what a node knows of a block and the versions
// that reference it, as `garage block info`.
func renderBlockInfo(w io.Writer, b garage.BlockInfoReply) {
	fmt.Fprintln(w, "==== BLOCK INFORMATION ====")
	kv := []string{"Block hash", b.Hash, "Refcount", fmt.Sprint(b.RefCount)}
	if !b.DeleteAt.IsZero() {
		kv = append(kv, "Deleted after", stampOf(b.DeleteAt))
	}
	kv = append(kv, "Placed on this node", yesNo(b.Holds), "Files", blockFiles(b))
	if !b.QueuedAt.IsZero() {
		kv = append(kv, "Resync queued for", stampOf(b.QueuedAt))
	}
	if e := b.Error; e != nil {
		kv = append(kv, "Resync errors", fmt.Sprintf("%d failures, last try %s, next try %s", e.Count, stampOf(e.LastTry), stampOf(e.NextTry)))
	}
	fields(w, kv...)
	fmt.Fprintln(w, "\n==== VERSIONS REFERENCING IT ====")
	if len(b.Users) == 0 {
		fmt.Fprintln(w, "No reference to this block.")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "Version\tBucket\tKey\tUpload\tDeleted")
	for _, u := range b.Users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortHex(u.Version), orDash(shortHex(u.Bucket)), orDash(u.Key),
			orDash(shortHex(u.Upload)), userState(u))
	}
	tw.Flush()
}

func blockFiles(b garage.BlockInfoReply) string {
	if len(b.Files) == 0 {
		return "none"
	}
	var s []string
	for _, f := range b.Files {
		c := ""
		if f.Compressed {
			c = ", compressed"
		}
		s = append(s, fmt.Sprintf("%s in data directory %d (%d bytes%s)", f.Name, f.Dir, f.Size, c))
	}
	return strings.Join(s, "; ")
}

// userState says whether a reference and its version are deleted.
func userState(u garage.BlockUserInfo) string {
	switch {
	case !u.Found && u.RefDeleted:
		return "reference deleted, version gone"
	case !u.Found:
		return "version not found"
	case u.Deleted && u.RefDeleted:
		return "yes"
	case u.Deleted:
		return "version deleted (garage repair block-refs)"
	case u.RefDeleted:
		return "reference deleted"
	}
	return "no"
}
