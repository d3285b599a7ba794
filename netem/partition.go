package netem

import (
	"fmt"
	"slices"
	"strings"
)

// CutID names one partition rule, so that a nemesis can heal it alone.
type CutID int

// String returns "cut#N".
func (id CutID) String() string { return fmt.Sprintf("cut#%d", int(id)) }

// cut is one partition rule: every message from a node matching one of
// the from sides to a node matching the paired to side is dropped. Sides
// are evaluated when a message is sent, so a node added later to an
// isolated zone is isolated too.
type cut struct {
	id    CutID
	arcs  []arc
	label string
}

type arc struct{ from, to side }

// side matches nodes by name or zone, or everything else when negated.
type side struct {
	nodes  map[string]bool
	zones  map[string]bool
	negate bool
}

func (s side) has(n *node) bool {
	return (s.nodes[n.name] || s.zones[n.zone]) != s.negate
}

func nodeSide(names []string) side { return side{nodes: setOf(names)} }

func setOf(names []string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// Partition cuts, in both directions, every link between nodes of
// different groups. Nodes named in no group keep all their links, so
// Partition(a, b) with a bridge node left out builds Jepsen's "bridge".
func (m *Model) Partition(groups ...[]string) CutID {
	var arcs []arc
	for i := range groups {
		for j := range groups {
			if i != j {
				arcs = append(arcs, arc{nodeSide(groups[i]), nodeSide(groups[j])})
			}
		}
	}
	return m.addCut("partition "+describeGroups(groups), arcs)
}

// PartitionZones is Partition over groups of zones.
func (m *Model) PartitionZones(groups ...[]string) CutID {
	var arcs []arc
	for i := range groups {
		for j := range groups {
			if i != j {
				arcs = append(arcs, arc{side{zones: setOf(groups[i])}, side{zones: setOf(groups[j])}})
			}
		}
	}
	return m.addCut("partition zones "+describeGroups(groups), arcs)
}

// CutOneWay drops every message from a node of from to a node of to, and
// leaves the reverse direction alone (an asymmetric partition).
func (m *Model) CutOneWay(from, to []string) CutID {
	a := arc{nodeSide(from), nodeSide(to)}
	return m.addCut("cut "+describeGroups([][]string{from})+" -> "+describeGroups([][]string{to}), []arc{a})
}

// IsolateZone cuts every link between zone and the other zones, both ways.
func (m *Model) IsolateZone(zone string) CutID {
	in := side{zones: setOf([]string{zone})}
	out := side{zones: in.zones, negate: true}
	return m.addCut("isolate zone "+zone, []arc{{in, out}, {out, in}})
}

// IsolateNode cuts every link between name and the other nodes, both ways.
func (m *Model) IsolateNode(name string) CutID {
	in := nodeSide([]string{name})
	out := side{nodes: in.nodes, negate: true}
	return m.addCut("isolate node "+name, []arc{{in, out}, {out, in}})
}

// PartitionHalves splits the registered nodes into a random majority and
// minority with SplitMajority and partitions them from each other.
func (m *Model) PartitionHalves(r Rand) (id CutID, majority, minority []string) {
	majority, minority = SplitMajority(m.Nodes(), r)
	return m.Partition(majority, minority), majority, minority
}

// Heal removes one partition rule; healing an unknown or healed id does
// nothing.
func (m *Model) Heal(id CutID) {
	m.cuts = slices.DeleteFunc(m.cuts, func(c cut) bool { return c.id == id })
	m.gen++
}

// HealAll removes every partition rule.
func (m *Model) HealAll() {
	m.cuts = nil
	m.gen++
}

// Cuts describes the active partition rules in the order they were made,
// one line each, e.g. "cut#1: isolate zone dc1".
func (m *Model) Cuts() []string {
	lines := make([]string, len(m.cuts))
	for i, c := range m.cuts {
		lines[i] = c.id.String() + ": " + c.label
	}
	return lines
}

func (m *Model) addCut(label string, arcs []arc) CutID {
	m.next++
	m.cuts = append(m.cuts, cut{id: m.next, arcs: arcs, label: label})
	m.gen++
	return m.next
}

func (m *Model) cutBetween(from, to *node) bool {
	for _, c := range m.cuts {
		for _, a := range c.arcs {
			if a.from.has(from) && a.to.has(to) {
				return true
			}
		}
	}
	return false
}

// SplitMajority shuffles nodes with r (Fisher–Yates; no shuffle when r is
// nil) and returns a strict majority, floor(n/2)+1 nodes, and the rest.
// Both halves come back sorted. The input is not modified.
func SplitMajority(nodes []string, r Rand) (majority, minority []string) {
	s := slices.Clone(nodes)
	if r != nil {
		for i := len(s) - 1; i > 0; i-- {
			j := int(r.Uint64() % uint64(i+1))
			s[i], s[j] = s[j], s[i]
		}
	}
	k := len(s)/2 + 1
	if len(s) == 0 {
		k = 0
	}
	majority, minority = s[:k:k], s[k:]
	slices.Sort(majority)
	slices.Sort(minority)
	return majority, minority
}

// describeGroups formats groups for labels.
func describeGroups(groups [][]string) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = "{" + strings.Join(g, ",") + "}"
	}
	return strings.Join(parts, " | ")
}
