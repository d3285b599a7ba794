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

// fixed is a static Replication for unit tests: every key on the same
// nodes, quorums from the mode. It has no ack lock.
type fixed struct {
	nodes []rt.NodeID
	mode  Mode
}

func (f fixed) ReadNodes([]byte) []rt.NodeID   { return f.nodes }
func (f fixed) WriteSets([]byte) [][]rt.NodeID { return [][]rt.NodeID{f.nodes} }
func (f fixed) ReadQuorum() int                { r, _ := f.mode.Quorums(len(f.nodes)); return r }
func (f fixed) WriteQuorum() int               { _, w := f.mode.Quorums(len(f.nodes)); return w }
