package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/node/garage"
)

// renderKeyList prints the access keys, as `garage key list`.
func renderKeyList(w io.Writer, ks []garage.KeySummary) {
	if len(ks) == 0 {
		fmt.Fprintln(w, "No access key yet: create one with \"garage key create <name>\".")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "ID\tName")
	for _, k := range ks {
		fmt.Fprintf(tw, "%s\t%s\n", k.ID, orDash(k.Name))
	}
	tw.Flush()
}

// renderKeyInfo prints an access key and its buckets, as `garage key
// info`; the secret only if the reply holds it.
func renderKeyInfo(w io.Writer, k garage.KeyInfoReply) {
	fmt.Fprintln(w, "==== ACCESS KEY INFORMATION ====")
	secret := k.Secret
	if secret == "" {
		secret = "(redacted: --show-secret prints it)"
	}
	fields(w, "Key ID", k.ID, "Key name", orDash(k.Name), "Secret key", secret,
		"Can create buckets", yesNo(k.AllowCreateBucket))
	fmt.Fprintln(w, "\n==== BUCKETS FOR THIS KEY ====")
	if len(k.Buckets) == 0 {
		fmt.Fprintln(w, "This key has no permission on any bucket: grant one with \"garage bucket allow\".")
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "Permissions\tID\tGlobal aliases\tLocal aliases")
	for _, b := range k.Buckets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", perms(b.Read, b.Write, b.Owner), shortHex(b.ID),
			orDash(strings.Join(b.Aliases, ", ")), orDash(strings.Join(b.LocalAliases, ", ")))
	}
	tw.Flush()
}
