package netem

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Describe returns a deterministic, multi-line description of the model
// for logs and experiment metadata: each zone with its nodes, the link
// configuration of every ordered pair of zones, the node links whose
// configuration is overridden, the uplinks, and the active cuts.
func (m *Model) Describe() string {
	var b strings.Builder
	zones := m.Zones()
	for _, z := range zones {
		b.WriteString("zone " + z + ": " + strings.Join(m.ZoneNodes(z), " ") + "\n")
	}
	for _, from := range zones {
		for _, to := range zones {
			l := m.cfg.resolve(&node{zone: from}, &node{zone: to})
			b.WriteString("link " + from + "->" + to + ": " + l.String() + "\n")
		}
	}
	for _, e := range m.overridden() {
		b.WriteString("link " + e.from + "->" + e.to + ": " + m.Link(e.from, e.to).String() + "\n")
	}
	b.WriteString(m.describeUplinks())
	for _, c := range m.Cuts() {
		b.WriteString(c + "\n")
	}
	return b.String()
}

// describeUplinks lists the uplink bandwidths that are set, default
// first, then per registered node in sorted order.
func (m *Model) describeUplinks() string {
	var b strings.Builder
	if m.uplink.all > 0 {
		fmt.Fprintf(&b, "uplink all: %g\n", m.uplink.all)
	}
	for _, n := range slices.Sorted(maps.Keys(m.uplink.nodes)) {
		if m.Has(n) {
			fmt.Fprintf(&b, "uplink %s: %g\n", n, m.uplink.nodes[n])
		}
	}
	return b.String()
}

// overridden returns the node links between registered nodes that have a
// node-level setting, sorted.
func (m *Model) overridden() []edge {
	set := map[edge]bool{}
	for _, keys := range [][]edge{
		slices.Collect(maps.Keys(m.cfg.latency.nodes)),
		slices.Collect(maps.Keys(m.cfg.jitter.nodes)),
		slices.Collect(maps.Keys(m.cfg.loss.nodes)),
		slices.Collect(maps.Keys(m.cfg.burst.nodes)),
		slices.Collect(maps.Keys(m.cfg.dup.nodes)),
		slices.Collect(maps.Keys(m.cfg.bandwidth.nodes)),
		slices.Collect(maps.Keys(m.cfg.fifo.nodes)),
	} {
		for _, e := range keys {
			if m.Has(e.from) && m.Has(e.to) && e.from != e.to {
				set[e] = true
			}
		}
	}
	edges := slices.Collect(maps.Keys(set))
	slices.SortFunc(edges, func(a, b edge) int {
		return strings.Compare(a.from+"\x00"+a.to, b.from+"\x00"+b.to)
	})
	return edges
}

// Clone returns a model with the same nodes, settings and partitions as m
// but fresh link state (empty queues, FIFO horizons) and zero Stats, so
// that one model description can drive a simulation and a real-mode
// Shaper, or several runs, independently.
func (m *Model) Clone() *Model {
	c := New()
	for _, n := range m.nodes {
		c.AddNode(n.name, n.zone)
	}
	c.cfg = m.cfg.clone()
	c.uplink.all, c.uplink.nodes = m.uplink.all, maps.Clone(m.uplink.nodes)
	c.cuts, c.next = slices.Clone(m.cuts), m.next // cuts are never mutated in place
	c.gen++
	return c
}
