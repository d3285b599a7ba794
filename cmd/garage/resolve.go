package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// knownIDs returns every node id a status mentions, sorted and unique.
func knownIDs(st garage.StatusReply) []rt.NodeID {
	ids := slices.Clone(st.Staged)
	for _, n := range st.Nodes {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// resolveNode returns the one id of ids that starts with prefix
// (case-insensitive), as Garage's CLI accepts id prefixes.
func resolveNode(prefix string, ids []rt.NodeID) (rt.NodeID, error) {
	p := strings.ToLower(strings.TrimSpace(prefix))
	if p == "" {
		return "", fmt.Errorf("empty node id: want an id or a prefix of one (see \"garage status\")")
	}
	var match []rt.NodeID
	for _, id := range ids {
		if strings.HasPrefix(string(id), p) {
			match = append(match, id)
		}
	}
	switch len(match) {
	case 0:
		return "", fmt.Errorf("no known node id starts with %q (see \"garage status\")", prefix)
	case 1:
		return match[0], nil
	}
	return "", fmt.Errorf("node id prefix %q is ambiguous: it matches %s; give more characters",
		prefix, joinShort(match))
}

func joinShort(ids []rt.NodeID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.Short()
	}
	return strings.Join(s, ", ")
}
