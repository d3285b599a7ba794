package layout

import (
	"hash/fnv"
	"math/bits"
	"slices"
)

// build lays out the flow network. Vertices: source, sink, then per
// partition p an "up" vertex (ZR units, at most one per zone, which forces
// the spread over zones), a "down" vertex (the other RF-ZR units, free), one
// vertex per (p, zone), and one vertex per storage node.
//
// The partition x zone -> node edges cost moveCost unless the node held the
// partition before, so a min-cost flow minimises moves; the node -> sink
// edges come in balanceLevels slices of rising cost, so among the
// assignments with the fewest moves it picks an evenly filled one. Each
// vertex's edges are added in rendezvous-hash preference order, which
// decides the remaining ties.
func (pb *problem) build() {
	np, nz, ns := int32(pb.np), int32(pb.nzones), int32(len(pb.storage))
	up, down, pz := int32(2), 2+np, 2+2*np
	pb.nodeBase = pz + np*nz
	g := newGraph(pb.nodeBase+ns, 0, 1, int(np*(2+2*nz+ns)+ns*balanceLevels))
	pb.place = make([][]int32, np)
	pref := newPreference(pb)
	for p := range np {
		g.addEdge(g.s, up+p, int32(pb.zr), 0)
		if pb.rf > pb.zr {
			g.addEdge(g.s, down+p, int32(pb.rf-pb.zr), 0)
		}
		for _, z := range pref.zones(p) {
			g.addEdge(up+p, pz+p*nz+z, 1, 0)
			if pb.rf > pb.zr {
				g.addEdge(down+p, pz+p*nz+z, int32(pb.rf), 0)
			}
		}
		for _, i := range pref.nodes(p) {
			cost := pb.moveCost()
			if pb.held(int(p), i) {
				cost = 0
			}
			e := g.addEdge(pz+p*nz+pb.zoneOf[i], pb.nodeBase+i, 1, cost)
			pb.place[p] = append(pb.place[p], e)
		}
	}
	pb.sinkEdges = make([][]int32, ns)
	for i := range ns {
		for j := range int32(balanceLevels) {
			pb.sinkEdges[i] = append(pb.sinkEdges[i], g.addEdge(pb.nodeBase+i, g.t, 0, j))
		}
	}
	g.freeze()
	pb.g = g
}

// balanceLevels is the number of cost steps of a node's utilisation: the
// j-th slice of a node's room costs j per partition.
const balanceLevels = 16

// maxReplicas bounds RF x partitions so that every cost fits an int32.
const maxReplicas = (1<<31 - 1) / (balanceLevels + 1)

// moveCost is the cost of placing a replica on a node that lacked it. It
// exceeds the largest possible difference in total balance cost, so the
// min-cost flow minimises moves first and only then balances.
func (pb *problem) moveCost() int32 { return int32(pb.rf*pb.np*balanceLevels + 1) }

// preference orders nodes and zones per partition by a capacity-weighted
// rendezvous hash: x comes first when hash(p, x) / weight(x) is smallest.
// It spreads partitions over the nodes of a zone roughly in proportion to
// capacity, with no randomness.
type preference struct {
	nodeHash, zoneHash []uint64
	nodeW, zoneW       []uint64
}

func newPreference(pb *problem) *preference {
	pr := &preference{
		nodeHash: make([]uint64, len(pb.storage)),
		nodeW:    make([]uint64, len(pb.storage)),
		zoneHash: make([]uint64, pb.nzones),
		zoneW:    make([]uint64, pb.nzones),
	}
	for i, id := range pb.storage {
		pr.nodeHash[i] = hashString(string(id))
		pr.nodeW[i] = uint64(pb.caps[i])
		z := pb.zoneOf[i]
		pr.zoneHash[z] = hashString("zone/" + pb.zones[z])
		pr.zoneW[z] = satAdd(pr.zoneW[z], uint64(pb.caps[i]))
	}
	return pr
}

func (pr *preference) nodes(p int32) []int32 { return rank(p, pr.nodeHash, pr.nodeW) }
func (pr *preference) zones(p int32) []int32 { return rank(p, pr.zoneHash, pr.zoneW) }

// rank returns the indexes of hs ordered by mix(hs[i], p) / ws[i].
func rank(p int32, hs, ws []uint64) []int32 {
	type scored struct {
		i int32
		h uint64
	}
	xs := make([]scored, len(hs))
	for i, h := range hs {
		xs[i] = scored{int32(i), mix64(h ^ (uint64(p)+1)*0x9e3779b97f4a7c15)}
	}
	slices.SortFunc(xs, func(a, b scored) int {
		ahi, alo := bits.Mul64(a.h, ws[b.i])
		bhi, blo := bits.Mul64(b.h, ws[a.i])
		switch {
		case ahi != bhi:
			return cmpU64(ahi, bhi)
		case alo != blo:
			return cmpU64(alo, blo)
		}
		return int(a.i - b.i)
	})
	out := make([]int32, len(xs))
	for k, x := range xs {
		out[k] = x.i
	}
	return out
}

func cmpU64(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}
