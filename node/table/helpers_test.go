package table

import "github.com/gogarage/garage/node/rt"

type NodeIDs []string

func (n NodeIDs) ids() []rt.NodeID {
	out := make([]rt.NodeID, len(n))
	for i, s := range n {
		out[i] = rt.NodeID(s)
	}
	return out
}
