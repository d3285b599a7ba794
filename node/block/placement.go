package block

import (
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// The placement of a block is that of the partition of its hash in the
// cluster layout: cluster.Sharded with key h[:], so the block_ref table
// (partition key h[:]) lives on the same nodes. These three functions are
// the only place where the block manager asks the layout; Put, Get,
// resync and offload all go through them.

// writeSets returns the node set of every live layout version for h.
func (m *Manager) writeSets(h Hash) [][]rt.NodeID { return m.lay.WriteSets(h[:]) }

// readOrder returns the nodes that may hold h, most preferred first: the
// read version's nodes (self, same zone, lowest RTT), then the nodes only
// the other live versions name (a block may not have moved yet).
func (m *Manager) readOrder(h Hash) []rt.NodeID {
	out := slices.Clone(m.lay.ReadNodes(h[:]))
	for _, set := range m.writeSets(h) {
		for _, id := range set {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// holds reports whether this node is one of h's nodes in some live layout
// version.
func (m *Manager) holds(h Hash) bool {
	for _, set := range m.writeSets(h) {
		if slices.Contains(set, m.env.ID) {
			return true
		}
	}
	return false
}

// peersOf returns h's nodes in every live version but this one, sorted.
func (m *Manager) peersOf(h Hash) []rt.NodeID {
	return slices.DeleteFunc(m.peersOfAll(h), func(id rt.NodeID) bool { return id == m.env.ID })
}

// peersOfAll returns h's nodes in every live version, this one included,
// sorted.
func (m *Manager) peersOfAll(h Hash) []rt.NodeID {
	var out []rt.NodeID
	for _, set := range m.writeSets(h) {
		out = append(out, set...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
