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

// checkShape verifies what every version of a history satisfies, valid or
// not, and what the canonical encoding relies on: members sorted and unique
// with valid roles, Storage listing the storage members, and a ring that is
// empty or holds RF indexes into Storage per partition.
func (v *Version) checkShape() error {
	if err := v.checkStorage(); err != nil {
		return fmt.Errorf("version %d: %w", v.Number, err)
	}
	if len(v.Ring) == 0 {
		return nil
	}
	if err := v.Params.Check(); err != nil {
		return fmt.Errorf("version %d: %w", v.Number, err)
	}
	if rf, np := v.Params.Replication, v.Partitions(); !ringFits(len(v.Ring), rf, np) {
		return fmt.Errorf("version %d: ring has %d entries, want %d partitions x RF %d", v.Number, len(v.Ring), np, rf)
	}
	for i, x := range v.Ring {
		if int(x) >= len(v.Storage) {
			return fmt.Errorf("version %d: ring entry %d is %d, past the %d storage nodes", v.Number, i, x, len(v.Storage))
		}
	}
	return nil
}

// ringFits reports whether a ring of n entries holds rf nodes for each of
// np partitions, without overflowing on absurd decoded parameters.
func ringFits(n, rf, np int) bool { return n%np == 0 && n/np == rf }

// checkShape verifies the shape of every version, live or retired, and
// the order of the keyed lists: what the canonical encoding relies on.
func (h *History) checkShape() error {
	for _, vs := range [][]Version{h.Versions, h.Old} {
		for i := range vs {
			if err := vs[i].checkShape(); err != nil {
				return fmt.Errorf("layout history: %w", err)
			}
		}
	}
	return h.checkSorted()
}
