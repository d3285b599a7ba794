package layout

import (
	"fmt"
	"slices"
)

// KeepOld is how many retired versions a History keeps, for display and
// for finding where data used to be.
const KeepOld = 5

// History is a node's view of the cluster layout: the live versions (more
// than one during a transition), a few retired ones, the update trackers
// and the staged changes. Histories of different nodes converge by Merge.
//
// A History is not safe for concurrent use; node code guards it.
type History struct {
	// Versions are the live versions, oldest first; never empty, numbers
	// consecutive. Writes go to all of them.
	Versions []Version `json:"versions"`
	// Old are retired versions, oldest first, at most KeepOld.
	Old      []Version `json:"old,omitempty"`
	Trackers Trackers  `json:"trackers"`
	Staging  Staging   `json:"staging"`
}

// NewHistory returns a history holding only the empty version 0 with
// replication factor rf and 2^bits partitions (DefaultPartitionBits in
// Garage). rf and bits are fixed for the life of the cluster.
func NewHistory(rf, bits int) (*History, error) {
	p := Params{Replication: rf, Redundancy: Maximum, PartitionBits: bits}
	if err := p.Check(); err != nil {
		return nil, fmt.Errorf("new layout history: %w", err)
	}
	return &History{Versions: []Version{Empty(p)}}, nil
}

// Current returns the newest version.
func (h *History) Current() *Version { return &h.Versions[len(h.Versions)-1] }

// MinStored returns the number of the oldest live version.
func (h *History) MinStored() uint64 { return h.Versions[0].Number }

// Version returns live or retired version n, if this history still has it.
func (h *History) Version(n uint64) (*Version, bool) {
	for _, vs := range [][]Version{h.Versions, h.Old} {
		for i := range vs {
			if vs[i].Number == n {
				return &vs[i], true
			}
		}
	}
	return nil, false
}

// Clone returns a deep copy of h.
func (h *History) Clone() *History {
	c := &History{Trackers: h.Trackers.Clone(), Staging: h.Staging.Clone()}
	for _, v := range h.Versions {
		c.Versions = append(c.Versions, v.Clone())
	}
	for _, v := range h.Old {
		c.Old = append(c.Old, v.Clone())
	}
	return c
}

// Equal reports whether h and o hold the same replicated state: live
// versions, trackers and staging. Old is local (a replica that caught up
// by adoption keeps different retired versions) and is not compared.
func (h *History) Equal(o *History) bool {
	eqv := func(a, b Version) bool { return a.Equal(&b) }
	return slices.EqualFunc(h.Versions, o.Versions, eqv) &&
		slices.Equal(h.Trackers.Ack, o.Trackers.Ack) && slices.Equal(h.Trackers.Sync, o.Trackers.Sync) &&
		slices.Equal(h.Trackers.SyncAck, o.Trackers.SyncAck) && h.Staging.Equal(o.Staging)
}

// Check verifies the structural invariants of h (for decoded histories):
// every version, live or retired, well formed (members and keyed lists
// sorted, ring indexes in range), live versions consecutive and valid
// (but for an empty version 0), parameters shared.
func (h *History) Check() error {
	if len(h.Versions) == 0 {
		return fmt.Errorf("layout history: no live version")
	}
	if err := h.checkShape(); err != nil {
		return err
	}
	base := h.Versions[0].Params
	for i, v := range h.Versions {
		if i > 0 && v.Number != h.Versions[i-1].Number+1 {
			return fmt.Errorf("layout history: version %d follows %d", v.Number, h.Versions[i-1].Number)
		}
		if v.Params.Replication != base.Replication || v.Params.PartitionBits != base.PartitionBits {
			return fmt.Errorf("layout history: version %d changes RF or partition bits", v.Number)
		}
		if v.Number == 0 && len(v.Members) == 0 {
			continue
		}
		if err := v.checkAssignment(); err != nil {
			return fmt.Errorf("layout history: %w", err)
		}
	}
	return nil
}

// params returns the history's fixed parameters with redundancy z.
func (h *History) params(z ZoneRedundancy) Params {
	p := h.Current().Params
	p.Redundancy = z
	return p
}
