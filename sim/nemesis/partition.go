package nemesis

import (
	"fmt"
	"strings"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Partition is the class of network partitions. Each fault is one of the
// shapes: symmetric random halves ("halves"), a one-way cut between random
// halves ("one-way"), the isolation of a zone ("zone"), of a minority of
// single nodes ("minority"), a majorities ring ("ring": each node sees only
// its neighbours, so every node sees a majority but no two see the same
// one), or a bridge ("bridge": two halves that only one node sees both of).
type Partition struct {
	Shape string // one of PartitionShapes; "" picks one at random per fault
}

// PartitionShapes returns the shape names of Partition.
func PartitionShapes() []string {
	return []string{"halves", "one-way", "zone", "minority", "ring", "bridge"}
}

func shapeFuncs() map[string]func(*sim.Rand, Topology) Fault {
	return map[string]func(*sim.Rand, Topology) Fault{"halves": halves, "one-way": oneWay,
		"zone": isolateZone, "minority": minority, "ring": majorityRing, "bridge": bridge}
}

// Name returns "partition", or "partition-<shape>" for a single shape.
func (p Partition) Name() string {
	if p.Shape == "" {
		return "partition"
	}
	return "partition-" + p.Shape
}

// Draw picks a partition shape (unless fixed) and its members.
func (p Partition) Draw(r *sim.Rand, t Topology) Fault {
	shape := p.Shape
	if shape == "" {
		shapes := PartitionShapes()
		shape = shapes[r.IntN(len(shapes))]
	}
	draw, ok := shapeFuncs()[shape]
	if !ok {
		panic(fmt.Sprintf("nemesis: unknown partition shape %q", shape))
	}
	return draw(r, t)
}

func halves(r *sim.Rand, t Topology) Fault {
	maj, min := netem.SplitMajority(names(t.Nodes), r)
	return cut("halves", groupDesc(maj, min), func(m *netem.Model) []netem.CutID {
		return []netem.CutID{m.Partition(maj, min)}
	})
}

func oneWay(r *sim.Rand, t Topology) Fault {
	a, b := netem.SplitMajority(names(t.Nodes), r)
	if r.IntN(2) == 0 {
		a, b = b, a
	}
	return cut("one-way", fmt.Sprintf("%s -/-> %s", set(a), set(b)), func(m *netem.Model) []netem.CutID {
		return []netem.CutID{m.CutOneWay(a, b)}
	})
}

func isolateZone(r *sim.Rand, t Topology) Fault {
	zs := t.ZoneNames()
	z := zs[r.IntN(len(zs))]
	return cut("zone", "isolate zone "+z, func(m *netem.Model) []netem.CutID {
		return []netem.CutID{m.IsolateZone(z)}
	})
}

func minority(r *sim.Rand, t Topology) Fault {
	_, min := netem.SplitMajority(names(t.Nodes), r)
	return cut("minority", "isolate each of "+set(min), func(m *netem.Model) []netem.CutID {
		ids := make([]netem.CutID, len(min))
		for i, n := range min {
			ids[i] = m.IsolateNode(n)
		}
		return ids
	})
}

// majorityRing cuts every link but those between ring neighbours, in a
// random ring order.
func majorityRing(r *sim.Rand, t Topology) Fault {
	ring := names(t.Nodes)
	for i, j := range r.Perm(len(ring)) {
		ring[i], ring[j] = ring[j], ring[i]
	}
	return cut("ring", "ring "+strings.Join(ring, "-"), func(m *netem.Model) []netem.CutID {
		var ids []netem.CutID
		for i := range ring {
			for j := range ring {
				if i != j && !ringNeighbours(i, j, len(ring)) {
					ids = append(ids, m.CutOneWay([]string{ring[i]}, []string{ring[j]}))
				}
			}
		}
		return ids
	})
}

func ringNeighbours(i, j, n int) bool {
	d := (i - j + n) % n
	return d == 1 || d == n-1
}

func bridge(r *sim.Rand, t Topology) Fault {
	all := names(t.Nodes)
	b := r.IntN(len(all))
	rest := append(append([]string(nil), all[:b]...), all[b+1:]...)
	maj, min := netem.SplitMajority(rest, r)
	desc := fmt.Sprintf("%s | %s bridged by %s", set(maj), set(min), all[b])
	return cut("bridge", desc, func(m *netem.Model) []netem.CutID {
		return []netem.CutID{m.Partition(maj, min)}
	})
}

// cut makes a partition fault whose undo heals exactly the cuts it made.
func cut(shape, desc string, make func(*netem.Model) []netem.CutID) Fault {
	return Fault{Kind: "partition", Desc: shape + ": " + desc, Start: func(w *sim.World) func() {
		m := w.Network()
		ids := make(m)
		return func() {
			for _, id := range ids {
				m.Heal(id)
			}
		}
	}}
}

func names(ids []rt.NodeID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

func set(ns []string) string { return "{" + strings.Join(ns, ",") + "}" }

func groupDesc(groups ...[]string) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = set(g)
	}
	return strings.Join(parts, " | ")
}
