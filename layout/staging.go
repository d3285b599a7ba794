package layout

import (
	"cmp"
	"slices"
	"strings"
)

// Staging holds the changes proposed for the next version. It is a CRDT:
// the whole staging is a last-writer-wins register on Stamp (apply and
// revert replace it), and inside one Stamp each role change and the zone
// redundancy are last-writer-wins registers of their own. Merge is
// commutative, associative and idempotent.
type Staging struct {
	Stamp      Timestamp    `json:"stamp"`
	Redundancy StagedParam  `json:"redundancy"`
	Roles      []StagedRole `json:"roles"` // sorted by node, one entry per node
}

// StagedParam is the staged zone redundancy.
type StagedParam struct {
	Stamp Timestamp      `json:"stamp"`
	Value ZoneRedundancy `json:"value"`
}

// StagedRole is a staged role change: a new role, or a removal.
type StagedRole struct {
	Node   NodeID    `json:"node"`
	Stamp  Timestamp `json:"stamp"`
	Remove bool      `json:"remove,omitempty"`
	Role   Role      `json:"role"`
}

// bump returns the stamp for a write at ts over old: ts, or old+1 if the
// caller's clock is behind, so a local update always wins over what it
// replaces.
func bump(ts, old Timestamp) Timestamp { return max(ts, old+1) }

// find returns the index of node's entry, or where it would go.
func (s *Staging) find(node NodeID) (int, bool) {
	return slices.BinarySearchFunc(s.Roles, node, func(r StagedRole, n NodeID) int {
		return strings.Compare(string(r.Node), string(n))
	})
}

// Staged returns node's staged change, if any.
func (s *Staging) Staged(node NodeID) (StagedRole, bool) {
	if i, ok := s.find(node); ok {
		return s.Roles[i], true
	}
	return StagedRole{}, false
}

// put records a change for node at ts.
func (s *Staging) put(r StagedRole, ts Timestamp) {
	i, ok := s.find(r.Node)
	if ok {
		r.Stamp = bump(ts, s.Roles[i].Stamp)
		s.Roles[i] = r
		return
	}
	r.Stamp = ts
	s.Roles = slices.Insert(s.Roles, i, r)
}

// setRedundancy stages a zone redundancy at ts.
func (s *Staging) setRedundancy(z ZoneRedundancy, ts Timestamp) {
	s.Redundancy = StagedParam{Stamp: bump(ts, s.Redundancy.Stamp), Value: z}
}

// reset replaces the staging with an empty one at ts keeping redundancy z.
func (s *Staging) reset(z ZoneRedundancy, ts Timestamp) {
	stamp := bump(ts, s.Stamp)
	*s = Staging{Stamp: stamp, Redundancy: StagedParam{Stamp: stamp, Value: z}}
}

// Merge merges o into s and reports whether s changed.
func (s *Staging) Merge(o Staging) bool {
	switch {
	case o.Stamp > s.Stamp:
		*s = o.Clone()
		return true
	case o.Stamp < s.Stamp:
		return false
	}
	changed := false
	if cmpParam(o.Redundancy, s.Redundancy) > 0 {
		s.Redundancy, changed = o.Redundancy, true
	}
	for _, r := range o.Roles {
		i, ok := s.find(r.Node)
		switch {
		case !ok:
			s.Roles = slices.Insert(s.Roles, i, cloneStaged(r))
			changed = true
		case cmpStaged(r, s.Roles[i]) > 0:
			s.Roles[i] = cloneStaged(r)
			changed = true
		}
	}
	return changed
}

// Clone returns a deep copy of s.
func (s Staging) Clone() Staging {
	s.Roles = slices.Clone(s.Roles)
	for i := range s.Roles {
		s.Roles[i].Role = s.Roles[i].Role.clone()
	}
	return s
}

// Equal reports whether s and o hold the same state.
func (s Staging) Equal(o Staging) bool {
	return s.Stamp == o.Stamp && s.Redundancy == o.Redundancy &&
		slices.EqualFunc(s.Roles, o.Roles, func(a, b StagedRole) bool { return cmpStaged(a, b) == 0 })
}

func cloneStaged(r StagedRole) StagedRole {
	r.Role = r.Role.clone()
	return r
}

// cmpParam orders registers by stamp, then value (a total order, so
// concurrent writes with equal stamps converge).
func cmpParam(a, b StagedParam) int {
	return cmp.Or(cmp.Compare(a.Stamp, b.Stamp), cmp.Compare(a.Value, b.Value))
}

// cmpStaged orders two changes of the same node by stamp, then content.
func cmpStaged(a, b StagedRole) int {
	if c := cmp.Compare(a.Stamp, b.Stamp); c != 0 {
		return c
	}
	if a.Remove != b.Remove {
		if a.Remove {
			return 1
		}
		return -1
	}
	return cmpRole(a.Role, b.Role)
}

func cmpRole(a, b Role) int {
	return cmp.Or(
		strings.Compare(a.Zone, b.Zone),
		cmp.Compare(a.Capacity, b.Capacity),
		cmpBool(a.Gateway, b.Gateway),
		slices.Compare(a.Tags, b.Tags),
	)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
