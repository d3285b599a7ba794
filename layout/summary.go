package layout

import (
	"fmt"
	"slices"
	"strings"
)

// Summary describes a computed version for an operator (`layout show`,
// `layout apply`): capacities, partition size, the load of every node and
// zone, the partitions moved relative to the previous version, warnings.
type Summary struct {
	Version           uint64
	Replication       int
	ZoneRedundancy    int // zones each partition spans at least
	Partitions        int
	PartitionSize     int64
	PrevPartitionSize int64 // 0 without a previous assignment
	UsableCapacity    int64 // PartitionSize * Partitions: data the cluster can hold
	TotalCapacity     int64 // sum of the storage nodes' capacities
	Moved             int   // partition replicas placed on a node that lacked them
	Zones             []ZoneSummary
	Warnings          []string
}

// ZoneSummary is one zone's share of a version.
type ZoneSummary struct {
	Zone       string
	Nodes      []NodeSummary // by id
	Capacity   int64
	Partitions int // replicas held in the zone
	Unique     int // distinct partitions with a replica in the zone
	New        int
}

// NodeSummary is one node's share of a version.
type NodeSummary struct {
	ID         NodeID
	Tags       []string
	Gateway    bool
	Capacity   int64
	Partitions int
	New        int   // partitions it did not hold in the previous version
	Used       int64 // Partitions * PartitionSize
}

// Summarize describes next relative to prev (nil or invalid: no previous
// assignment).
func Summarize(prev, next *Version) Summary {
	s := Summary{
		Version:        next.Number,
		Replication:    next.Params.Replication,
		Partitions:     next.Partitions(),
		PartitionSize:  next.PartitionSize,
		UsableCapacity: next.UsableCapacity(),
	}
	if z, err := next.Params.Redundancy.effective(s.Replication, len(next.Zones())); err == nil {
		s.ZoneRedundancy = z
	}
	if prev != nil && prev.Valid() == nil {
		s.PrevPartitionSize = prev.PartitionSize
	}
	s.Zones = zoneSummaries(prev, next)
	for _, z := range s.Zones {
		s.TotalCapacity += z.Capacity
		s.Moved += z.New
	}
	s.Warnings = warnings(&s)
	return s
}

func zoneSummaries(prev, next *Version) []ZoneSummary {
	held := heldBefore(prev)
	var zs []ZoneSummary
	for _, m := range next.Members {
		i := slices.IndexFunc(zs, func(z ZoneSummary) bool { return z.Zone == m.Role.Zone })
		if i < 0 {
			zs = append(zs, ZoneSummary{Zone: m.Role.Zone})
			i = len(zs) - 1
		}
		ns := nodeSummary(next, m, held)
		z := &zs[i]
		z.Nodes = append(z.Nodes, ns)
		z.Capacity += ns.Capacity
		z.Partitions += ns.Partitions
		z.New += ns.New
	}
	for i := range zs {
		zs[i].Unique = uniqueIn(next, zs[i].Zone)
	}
	slices.SortFunc(zs, func(a, b ZoneSummary) int { return strings.Compare(a.Zone, b.Zone) })
	return zs
}

// heldBefore returns the set of (node, partition) pairs of v.
func heldBefore(v *Version) map[NodeID][]bool {
	out := map[NodeID][]bool{}
	if v == nil || v.Valid() != nil {
		return out
	}
	for p := range v.Partitions() {
		for _, id := range v.NodesOf(Partition(p)) {
			if out[id] == nil {
				out[id] = make([]bool, v.Partitions())
			}
			out[id][p] = true
		}
	}
	return out
}

func nodeSummary(v *Version, m Member, held map[NodeID][]bool) NodeSummary {
	ns := NodeSummary{ID: m.ID, Tags: m.Role.Tags, Gateway: m.Role.Gateway, Capacity: m.Role.Capacity}
	for _, p := range v.PartitionsOf(m.ID) {
		ns.Partitions++
		if h := held[m.ID]; h == nil || int(p) >= len(h) || !h[p] {
			ns.New++
		}
	}
	ns.Used = int64(ns.Partitions) * v.PartitionSize
	return ns
}

// uniqueIn counts the partitions with at least one replica in zone.
func uniqueIn(v *Version, zone string) int {
	n := 0
	for p := range v.Partitions() {
		for _, id := range v.NodesOf(Partition(p)) {
			if r, _ := v.Role(id); r.Zone == zone {
				n++
				break
			}
		}
	}
	return n
}

func warnings(s *Summary) []string {
	var ws []string
	if s.PartitionSize < 100 {
		ws = append(ws, fmt.Sprintf("partition size %d B is under 100 bytes: are the capacities given in bytes?", s.PartitionSize))
	}
	if storageZones := countStorageZones(s.Zones); storageZones < s.Replication {
		ws = append(ws, fmt.Sprintf("only %d zones hold data for replication factor %d: losing one zone can lose more than one copy",
			storageZones, s.Replication))
	}
	for _, z := range s.Zones {
		for _, n := range z.Nodes {
			if !n.Gateway && n.Partitions == 0 {
				ws = append(ws, fmt.Sprintf("node %s (zone %s) holds no partition: its capacity is unused", n.ID.Short(), z.Zone))
			}
		}
	}
	stored := s.UsableCapacity * int64(s.Replication)
	if s.TotalCapacity > 0 && stored < s.TotalCapacity*9/10 {
		ws = append(ws, fmt.Sprintf("%s of %s total capacity (%.1f%%) is left unused by the zone constraints and capacity imbalance",
			FormatBytes(s.TotalCapacity-stored), FormatBytes(s.TotalCapacity), pct(s.TotalCapacity-stored, s.TotalCapacity)))
	}
	return ws
}

func countStorageZones(zs []ZoneSummary) int {
	n := 0
	for _, z := range zs {
		if z.Partitions > 0 {
			n++
		}
	}
	return n
}

func pct(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
