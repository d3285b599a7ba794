package checker

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
)

// Digests holds, at the end of a run, each replica's digest (a Merkle root)
// of each partition it holds: replica -> partition -> root.
type Digests map[string]map[string][]byte

// Convergence checks that all replicas holding a partition report the same
// root. Each diverged partition is a violation (Key: the partition) naming
// the replicas grouped by root; Info names the first one in sorted order.
func Convergence(d Digests) Result {
	holders := d.byPartition()
	parts := sortedKeys(holders)
	var vs []Violation
	for _, p := range parts {
		if groups := d.groups(p, holders[p]); len(groups) > 1 {
			vs = append(vs, Violation{Rule: "diverged", Key: p,
				Explain: fmt.Sprintf("%d distinct roots: %s", len(groups), strings.Join(groups, "; "))})
		}
	}
	info := fmt.Sprintf("%d partitions on %d replicas", len(parts), len(d))
	if len(vs) > 0 {
		info += ", first differing partition " + vs[0].Key
	}
	return newResult(CheckConvergence, len(parts), vs, info)
}

// byPartition returns partition -> sorted replicas holding it.
func (d Digests) byPartition() map[string][]string {
	out := make(map[string][]string)
	for _, r := range sortedKeys(d) {
		for p := range d[r] {
			out[p] = append(out[p], r)
		}
	}
	return out
}

// groups describes the replicas of partition p grouped by root, in order of
// first appearance: "a,b=0badc0de".
func (d Digests) groups(p string, replicas []string) []string {
	var roots [][]byte
	var members [][]string
	for _, r := range replicas {
		root := d[r][p]
		i := 0
		for i < len(roots) && !bytes.Equal(roots[i], root) {
			i++
		}
		if i == len(roots) {
			roots = append(roots, root)
			members = append(members, nil)
		}
		members[i] = append(members[i], r)
	}
	out := make([]string, len(roots))
	for i := range roots {
		out[i] = strings.Join(members[i], ",") + "=" + shortHex(roots[i])
	}
	return out
}

func shortHex(b []byte) string {
	if len(b) > 8 {
		b = b[:8]
	}
	if len(b) == 0 {
		return "empty"
	}
	return hex.EncodeToString(b)
}
