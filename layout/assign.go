package layout

import (
	"fmt"
	"slices"
)

// Compute builds layout version number from members and params: the
// largest partition size at which RF replicas of every partition fit on
// distinct storage nodes spanning the required zones, then, among the
// assignments at that size, one that moves the fewest partition replicas
// relative to prev. prev may be nil or invalid (no previous assignment).
//
// Errors wrap ErrBadParams, ErrBadRole, ErrTooFewNodes, ErrTooFewZones or
// ErrInfeasible.
func Compute(number uint64, members []Member, params Params, prev *Version) (Version, error) {
	pb, err := newProblem(members, params, prev)
	if err != nil {
		return Version{}, fmt.Errorf("compute layout version %d: %w", number, err)
	}
	size, err := pb.optimalSize()
	if err != nil {
		return Version{}, fmt.Errorf("compute layout version %d: %w", number, err)
	}
	pb.setLevels(size)
	if flow, _ := pb.g.minCostFlow(); flow != pb.want() {
		panic(fmt.Sprintf("layout: min-cost flow %d at feasible size %d, want %d", flow, size, pb.want()))
	}
	return Version{
		Number:        number,
		Params:        params,
		Members:       pb.members,
		Storage:       pb.storage,
		PartitionSize: size,
		Ring:          pb.ring(),
	}, nil
}

// problem is one assignment computation: the storage nodes, their zones and
// capacities, the previous placement and the flow network.
type problem struct {
	rf, zr, np int
	members    []Member
	storage    []NodeID
	caps       []int64 // bytes, per storage node
	zoneOf     []int32 // zone index per storage node
	zones      []string
	nzones     int
	prevSlots  [][]int32 // per partition, previous holders by slot (-1: gone)
	g          *graph
	sinkEdges  [][]int32 // per storage node, its balanceLevels edges to the sink
	place      [][]int32 // per partition, its partition x zone -> node edges
	nodeBase   int32
}

func (pb *problem) want() int64 { return int64(pb.rf) * int64(pb.np) }

func newProblem(members []Member, params Params, prev *Version) (*problem, error) {
	if err := params.Check(); err != nil {
		return nil, err
	}
	ms, err := sortMembers(members)
	if err != nil {
		return nil, err
	}
	pb := &problem{rf: params.Replication, np: params.Partitions(), members: ms}
	if pb.rf*pb.np > maxReplicas {
		return nil, fmt.Errorf("%w: %d replicas of %d partitions is too many", ErrBadParams, pb.rf, pb.np)
	}
	pb.indexStorage()
	if len(pb.storage) < pb.rf {
		return nil, fmt.Errorf("%w: replication factor %d needs %d storage nodes, have %d",
			ErrTooFewNodes, pb.rf, pb.rf, len(pb.storage))
	}
	if pb.zr, err = params.Redundancy.effective(pb.rf, pb.nzones); err != nil {
		return nil, err
	}
	pb.indexPrev(prev, params)
	pb.build()
	return pb, nil
}

// indexStorage lists the storage nodes, their capacities and zones.
func (pb *problem) indexStorage() {
	var zones []string
	for _, m := range pb.members {
		if !m.Role.Gateway {
			zones = append(zones, m.Role.Zone)
		}
	}
	slices.Sort(zones)
	zones = slices.Compact(zones)
	pb.zones, pb.nzones = zones, len(zones)
	for _, m := range pb.members {
		if m.Role.Gateway {
			continue
		}
		z, _ := slices.BinarySearch(zones, m.Role.Zone)
		pb.storage = append(pb.storage, m.ID)
		pb.caps = append(pb.caps, m.Role.Capacity)
		pb.zoneOf = append(pb.zoneOf, int32(z))
	}
}

// indexPrev maps the previous assignment onto the current storage nodes.
func (pb *problem) indexPrev(prev *Version, params Params) {
	pb.prevSlots = make([][]int32, pb.np)
	if prev == nil || prev.Valid() != nil || prev.Params.PartitionBits != params.PartitionBits {
		return
	}
	for p := range pb.np {
		for _, id := range prev.NodesOf(Partition(p)) {
			i, ok := slices.BinarySearch(pb.storage, id)
			if !ok {
				i = -1
			}
			pb.prevSlots[p] = append(pb.prevSlots[p], int32(i))
		}
	}
}

// held reports whether storage node i held partition p before.
func (pb *problem) held(p int, i int32) bool { return slices.Contains(pb.prevSlots[p], i) }

// optimalSize returns the largest feasible partition size. The optimum is
// floor(c_i / k) for some node i and k <= partitions (at the next larger
// size some node's partition count drops), so it binary-searches those.
func (pb *problem) optimalSize() (int64, error) {
	cands := pb.candidates()
	if len(cands) == 0 || !pb.feasible(cands[0]) {
		return 0, fmt.Errorf("%w: %d replicas of %d partitions over %d zones do not fit the capacities even at 1 byte per partition",
			ErrInfeasible, pb.rf, pb.np, pb.zr)
	}
	lo, hi := 0, len(cands)-1 // cands[lo] feasible
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if pb.feasible(cands[mid]) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return cands[lo], nil
}

// candidates returns the sorted distinct values floor(c_i / k) >= 1.
func (pb *problem) candidates() []int64 {
	out := make([]int64, 0, len(pb.caps)*pb.np)
	for _, c := range pb.caps {
		for k := int64(1); k <= int64(pb.np) && c/k >= 1; k++ {
			out = append(out, c/k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// feasible reports whether partition size s admits a full flow.
func (pb *problem) feasible(s int64) bool {
	var room int64
	for _, c := range pb.caps {
		room += min(c/s, int64(pb.np))
	}
	if room < pb.want() {
		return false
	}
	pb.setSize(s)
	pb.g.reset()
	return pb.g.maxFlow() == pb.want()
}

// slots returns how many partitions node i can hold at partition size s.
func (pb *problem) room(i int, s int64) int32 { return int32(min(pb.caps[i]/s, int64(pb.np))) }

// setSize gives each node its whole room at partition size s on its first
// sink edge, for the feasibility search, where costs play no part.
func (pb *problem) setSize(s int64) {
	for i, es := range pb.sinkEdges {
		for j, e := range es {
			pb.g.cap0[e] = 0
			if j == 0 {
				pb.g.cap0[e] = pb.room(i, s)
			}
		}
	}
}

// setLevels splits each node's room at size s, floor(capacity / s), into
// balanceLevels equal slices of increasing cost (cut off at one replica of
// every partition), so that a min-cost flow fills nodes evenly relative to
// their capacity.
func (pb *problem) setLevels(s int64) {
	const l = balanceLevels
	np := int64(pb.np)
	for i, es := range pb.sinkEdges {
		room := min(pb.caps[i]/s, np*l)
		for j, e := range es {
			lo, hi := min(room*int64(j)/l, np), min(room*int64(j+1)/l, np)
			pb.g.cap0[e] = int32(hi - lo)
		}
	}
}

// ring reads the assignment off the flow. A node that keeps a partition
// keeps its slot; new holders fill the free slots in preference order.
func (pb *problem) ring() []uint16 {
	out := make([]uint16, 0, pb.want())
	for p := range pb.np {
		var chosen []int32
		for _, e := range pb.place[p] {
			if pb.g.flowOn(e) > 0 {
				chosen = append(chosen, pb.g.to[e]-pb.nodeBase)
			}
		}
		for _, i := range pb.slots(p, chosen) {
			out = append(out, uint16(i))
		}
	}
	return out
}

// slots orders the chosen holders of partition p.
func (pb *problem) slots(p int, chosen []int32) []int32 {
	out := make([]int32, pb.rf)
	for j := range out {
		out[j] = -1
		if j < len(pb.prevSlots[p]) && slices.Contains(chosen, pb.prevSlots[p][j]) {
			out[j] = pb.prevSlots[p][j]
		}
	}
	for _, i := range chosen {
		if slices.Contains(out, i) {
			continue
		}
		j := slices.Index(out, -1)
		out[j] = i
	}
	return out
}
