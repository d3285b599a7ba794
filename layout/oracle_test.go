package layout

import (
	"math/bits"
	"slices"
)

// oracle solves tiny instances (at most 8 storage nodes, 16 partitions) by
// exhaustive dynamic programming over node load vectors, independently of
// the flow code.
type oracle struct {
	caps  []int64
	sets  []uint8 // allowed replica sets as node bitmasks
	np    int
	nodes []NodeID
}

const loadBits = 5 // loads up to 31 per node

func newOracle(v *Version, ms []Member, p Params) *oracle {
	o := &oracle{np: p.Partitions()}
	var zones []string
	for _, m := range ms {
		if !m.Role.Gateway {
			o.nodes = append(o.nodes, m.ID)
			o.caps = append(o.caps, m.Role.Capacity)
			zones = append(zones, m.Role.Zone)
		}
	}
	nz := len(uniq(zones))
	zr, _ := p.Redundancy.effective(p.Replication, nz)
	for mask := 0; mask < 1<<len(o.nodes); mask++ {
		if bits.OnesCount(uint(mask)) != p.Replication {
			continue
		}
		var zs []string
		for i := range o.nodes {
			if mask&(1<<i) != 0 {
				zs = append(zs, zones[i])
			}
		}
		if len(uniq(zs)) >= zr {
			o.sets = append(o.sets, uint8(mask))
		}
	}
	return o
}

func uniq(xs []string) []string {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return slices.Compact(ys)
}

// add returns load vector l plus one partition on set.
func add(l uint64, set uint8) uint64 {
	for i := range 8 {
		if set&(1<<i) != 0 {
			l += 1 << (loadBits * i)
		}
	}
	return l
}

func load(l uint64, i int) int64 { return int64(l>>(loadBits*i)) & (1<<loadBits - 1) }

// bestSize returns the largest partition size any assignment allows
// (0 if none exists).
func (o *oracle) bestSize() int64 {
	states := map[uint64]bool{0: true}
	for range o.np {
		next := map[uint64]bool{}
		for l := range states {
			for _, s := range o.sets {
				next[add(l, s)] = true
			}
		}
		states = next
	}
	var best int64
	for l := range states {
		size := int64(1) << 62
		for i, c := range o.caps {
			if k := load(l, i); k > 0 {
				size = min(size, c/k)
			}
		}
		best = max(best, size)
	}
	return best
}

// minMoves returns the fewest replicas placed on a node that lacked them in
// prev, over assignments valid at partition size size (-1 if none).
func (o *oracle) minMoves(prev *Version, size int64) int {
	cost := map[uint64]int{0: 0}
	for p := range o.np {
		old := o.mask(prev.NodesOf(Partition(p)))
		next := map[uint64]int{}
		for l, c := range cost {
			for _, s := range o.sets {
				nl := add(l, s)
				if !o.fits(nl, size) {
					continue
				}
				nc := c + bits.OnesCount8(s&^old)
				if pc, ok := next[nl]; !ok || nc < pc {
					next[nl] = nc
				}
			}
		}
		cost = next
	}
	best := -1
	for _, c := range cost {
		if best < 0 || c < best {
			best = c
		}
	}
	return best
}

func (o *oracle) fits(l uint64, size int64) bool {
	for i, c := range o.caps {
		if load(l, i)*size > c {
			return false
		}
	}
	return true
}

func (o *oracle) mask(ids []NodeID) uint8 {
	var m uint8
	for _, id := range ids {
		if i := slices.Index(o.nodes, id); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}
