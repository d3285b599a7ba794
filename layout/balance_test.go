package layout

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestBalanceWithinZone checks that a first assignment fills the nodes of
// a zone evenly relative to capacity: with one replica per zone, no node's
// utilisation exceeds another's (that could still take a partition) by more
// than one balance level plus one partition.
func TestBalanceWithinZone(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for it := range 40 {
		var ms []Member
		for i := range 3 + r.IntN(30) {
			zone := fmt.Sprintf("z%d", i%3)
			ms = append(ms, Member{ID: NodeID(fmt.Sprintf("n%02d", i)), Role: StorageRole(zone, (1+r.Int64N(20))*1e9)})
		}
		v, err := Compute(1, ms, DefaultParams(3), nil)
		if err != nil {
			t.Fatal(err)
		}
		checkBalanced(t, it, &v)
	}
}

func checkBalanced(t *testing.T, it int, v *Version) {
	t.Helper()
	loads := v.Load()
	util := func(i, delta int) float64 {
		r, _ := v.Role(v.Storage[i])
		return float64(loads[i]+delta) / float64(r.Capacity/v.PartitionSize)
	}
	for a := range v.Storage {
		for b := range v.Storage {
			ra, _ := v.Role(v.Storage[a])
			rb, _ := v.Role(v.Storage[b])
			full := int64(loads[b]) >= min(rb.Capacity/v.PartitionSize, int64(v.Partitions()))
			if ra.Zone != rb.Zone || loads[a] == 0 || full {
				continue
			}
			if util(a, -1) > util(b, 1)+1.0/balanceLevels {
				t.Fatalf("case %d: %s holds %d (%.2f full) while %s holds %d (%.2f full)",
					it, v.Storage[a], loads[a], util(a, 0), v.Storage[b], loads[b], util(b, 0))
			}
		}
	}
}
