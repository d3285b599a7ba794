package layout

import (
	"fmt"
	"slices"
)

// Verify checks the assignment invariants of a valid version, for versions
// received from elsewhere: every partition spans the required zones and no
// node holds more than capacity / PartitionSize partitions. Gateways hold
// nothing by construction (the ring indexes storage nodes only).
func (v *Version) Verify() error {
	if err := v.Valid(); err != nil {
		return err
	}
	zones := v.Zones()
	zr, err := v.Params.Redundancy.effective(v.Params.Replication, len(zones))
	if err != nil {
		return fmt.Errorf("version %d: %w", v.Number, err)
	}
	if v.PartitionSize <= 0 {
		return fmt.Errorf("version %d: partition size %d", v.Number, v.PartitionSize)
	}
	zoneOf, loads := make([]int, len(v.Storage)), v.Load()
	for i, id := range v.Storage {
		r, _ := v.Role(id)
		zoneOf[i], _ = slices.BinarySearch(zones, r.Zone)
		if load := loads[i]; int64(load) > r.Capacity/v.PartitionSize {
			return fmt.Errorf("version %d: node %s holds %d partitions, room for %d",
				v.Number, id, load, r.Capacity/v.PartitionSize)
		}
	}
	return v.verifySpread(zoneOf, zr)
}

func (v *Version) verifySpread(zoneOf []int, zr int) error {
	rf := v.Params.Replication
	for p := range v.Partitions() {
		var zs []int
		for _, x := range v.Ring[p*rf : (p+1)*rf] {
			zs = append(zs, zoneOf[x])
		}
		slices.Sort(zs)
		if n := len(slices.Compact(zs)); n < zr {
			return fmt.Errorf("version %d: partition %d spans %d zones, want %d", v.Number, p, n, zr)
		}
	}
	return nil
}

// checkSorted verifies that the keyed lists of h are sorted and unique, as
// the lookups assume.
func (h *History) checkSorted() error {
	for _, t := range []Tracker{h.Trackers.Ack, h.Trackers.Sync, h.Trackers.SyncAck} {
		for i := 1; i < len(t); i++ {
			if t[i].Node <= t[i-1].Node {
				return fmt.Errorf("layout history: tracker not sorted at %s", t[i].Node)
			}
		}
	}
	rs := h.Staging.Roles
	for i := 1; i < len(rs); i++ {
		if rs[i].Node <= rs[i-1].Node {
			return fmt.Errorf("layout history: staged roles not sorted at %s", rs[i].Node)
		}
	}
	return nil
}
