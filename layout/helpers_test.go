package layout

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// cluster is a random test cluster.
type cluster struct {
	members []Member
	params  Params
}

// randCluster draws n nodes over up to z zones, with capacities in
// [1, 1000] units of unit bytes and a few gateways.
func randCluster(r *rand.Rand, n, z, rf, bits int, unit int64) cluster {
	ms := make([]Member, n)
	for i := range ms {
		id := NodeID(fmt.Sprintf("n%02d", i))
		zone := fmt.Sprintf("z%d", r.IntN(z))
		ms[i] = Member{ID: id, Role: StorageRole(zone, (1+r.Int64N(1000))*unit)}
		if r.IntN(10) == 0 {
			ms[i].Role = GatewayRole(zone)
		}
	}
	p := Params{Replication: rf, PartitionBits: bits}
	if r.IntN(3) == 0 {
		p.Redundancy = AtLeast(1 + r.IntN(rf))
	}
	return cluster{members: ms, params: p}
}

// storageStats counts storage nodes and their zones.
func storageStats(ms []Member) (nodes, zones int) {
	seen := map[string]bool{}
	for _, m := range ms {
		if !m.Role.Gateway {
			nodes++
			seen[m.Role.Zone] = true
		}
	}
	return nodes, len(seen)
}

// checkInvariants fails t unless v satisfies the assignment invariants for
// members: RF distinct storage nodes per partition spanning the required
// zones, no node over capacity, gateways empty.
func checkInvariants(t *testing.T, v *Version, ms []Member) {
	t.Helper()
	if err := v.Valid(); err != nil {
		t.Fatalf("invalid version: %v", err)
	}
	_, nz := storageStats(ms)
	zr, err := v.Params.Redundancy.effective(v.Params.Replication, nz)
	if err != nil {
		t.Fatalf("redundancy: %v", err)
	}
	for p := range v.Partitions() {
		nodes := v.NodesOf(Partition(p))
		zones := map[string]bool{}
		for _, id := range nodes {
			r, ok := v.Role(id)
			if !ok || r.Gateway {
				t.Fatalf("partition %d on %s which is not a storage node", p, id)
			}
			zones[r.Zone] = true
		}
		if len(zones) < zr {
			t.Fatalf("partition %d spans %d zones, want >= %d", p, len(zones), zr)
		}
	}
	for i, load := range v.Load() {
		r, _ := v.Role(v.Storage[i])
		if int64(load)*v.PartitionSize > r.Capacity {
			t.Fatalf("node %s holds %d partitions of %d bytes, capacity %d", v.Storage[i], load, v.PartitionSize, r.Capacity)
		}
	}
}

// moves counts the replicas of next on nodes that did not hold them in prev.
func moves(prev, next *Version) int {
	n := 0
	for p := range next.Partitions() {
		old := map[NodeID]bool{}
		for _, id := range prev.NodesOf(Partition(p)) {
			old[id] = true
		}
		for _, id := range next.NodesOf(Partition(p)) {
			if !old[id] {
				n++
			}
		}
	}
	return n
}
