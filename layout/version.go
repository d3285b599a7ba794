package layout

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Version is one layout version: the roles, the parameters and the
// assignment computed from them. Version 0 is the empty layout every history
// starts from; it has no nodes and is not Valid.
//
// A Version is a value: methods never modify it, and the slices must not be
// modified by callers.
type Version struct {
	Number uint64 `json:"version"`
	Params Params `json:"params"`
	// Members lists every node with a role, gateways included, by id.
	Members []Member `json:"members"`
	// Storage lists the ids of the storage nodes, sorted; Ring indexes it.
	Storage []NodeID `json:"storage"`
	// PartitionSize is the optimal partition size in bytes.
	PartitionSize int64 `json:"partition_size"`
	// Ring holds Params.Replication indexes into Storage per partition:
	// the nodes of partition p are Ring[p*RF : (p+1)*RF].
	Ring []uint16 `json:"ring"`
}

// Empty returns version 0 with parameters p.
func Empty(p Params) Version { return Version{Params: p} }

// Partitions returns the number of partitions.
func (v *Version) Partitions() int { return v.Params.Partitions() }

// Valid reports whether v is a usable assignment: every partition has RF
// distinct storage nodes. The empty version 0 is not valid.
func (v *Version) Valid() error {
	if err := v.checkShape(); err != nil {
		return err
	}
	return v.checkAssignment()
}

// checkAssignment verifies, on a version of valid shape (checkShape), that
// the parameters are valid and every partition has RF distinct nodes.
func (v *Version) checkAssignment() error {
	if err := v.Params.Check(); err != nil {
		return fmt.Errorf("version %d: %w", v.Number, err)
	}
	rf, np := v.Params.Replication, v.Partitions()
	if len(v.Ring) == 0 {
		return fmt.Errorf("version %d: empty ring, want %d partitions x RF %d", v.Number, np, rf)
	}
	for p := range np {
		set := v.Ring[p*rf : (p+1)*rf]
		for i, x := range set {
			if slices.Contains(set[:i], x) {
				return fmt.Errorf("version %d: partition %d has a bad node list %v", v.Number, p, set)
			}
		}
	}
	return nil
}

// checkStorage verifies that Members are sorted and unique with valid roles
// and that Storage lists exactly the storage members.
func (v *Version) checkStorage() error {
	n := 0 // storage members so far
	for i, m := range v.Members {
		if i > 0 && m.ID <= v.Members[i-1].ID {
			return fmt.Errorf("members not sorted at %s", m.ID)
		}
		if err := m.Role.Check(); err != nil {
			return fmt.Errorf("node %s: %w", m.ID, err)
		}
		if !m.Role.Gateway {
			if n == len(v.Storage) || v.Storage[n] != m.ID {
				return fmt.Errorf("storage list %v does not match the members", v.Storage)
			}
			n++
		}
	}
	if n != len(v.Storage) {
		return fmt.Errorf("storage list %v does not match the members", v.Storage)
	}
	return nil
}

// PartitionOf returns the partition of h in this version.
func (v *Version) PartitionOf(h Hash) Partition { return PartitionOf(h, v.Params.PartitionBits) }

// NodesOf returns the ordered nodes of partition p (nil in an empty version),
// in a new slice the caller may keep and modify.
func (v *Version) NodesOf(p Partition) []NodeID {
	rf := v.Params.Replication
	if len(v.Ring) < (int(p)+1)*rf {
		return nil
	}
	out := make([]NodeID, rf)
	for i, x := range v.Ring[int(p)*rf : (int(p)+1)*rf] {
		out[i] = v.Storage[x]
	}
	return out
}

// NodesOfHash returns the ordered nodes storing key hash h.
func (v *Version) NodesOfHash(h Hash) []NodeID { return v.NodesOf(v.PartitionOf(h)) }

// Role returns the role of id, if it has one.
func (v *Version) Role(id NodeID) (Role, bool) {
	i := sort.Search(len(v.Members), func(i int) bool { return v.Members[i].ID >= id })
	if i < len(v.Members) && v.Members[i].ID == id {
		return v.Members[i].Role, true
	}
	return Role{}, false
}

// Nodes returns the ids of all members, gateways included, sorted.
func (v *Version) Nodes() []NodeID {
	out := make([]NodeID, len(v.Members))
	for i, m := range v.Members {
		out[i] = m.ID
	}
	return out
}

// PartitionsOf returns the partitions node id stores, ascending.
func (v *Version) PartitionsOf(id NodeID) []Partition {
	idx, ok := slices.BinarySearch(v.Storage, id)
	if !ok {
		return nil
	}
	var out []Partition
	rf := v.Params.Replication
	for i, x := range v.Ring {
		if int(x) == idx {
			out = append(out, Partition(i/rf))
		}
	}
	return out
}

// Load returns the number of partitions each storage node holds, in the
// order of Storage.
func (v *Version) Load() []int {
	out := make([]int, len(v.Storage))
	for _, x := range v.Ring {
		out[x]++
	}
	return out
}

// UsableCapacity is the amount of data the cluster can store: partition
// size times the number of partitions (each byte is stored RF times).
func (v *Version) UsableCapacity() int64 { return v.PartitionSize * int64(v.Partitions()) }

// Equal reports whether v and o are identical.
func (v *Version) Equal(o *Version) bool {
	return v.Number == o.Number && v.Params == o.Params && v.PartitionSize == o.PartitionSize &&
		slices.Equal(v.Storage, o.Storage) && slices.Equal(v.Ring, o.Ring) &&
		slices.EqualFunc(v.Members, o.Members, func(a, b Member) bool {
			return a.ID == b.ID && a.Role.Equal(b.Role)
		})
}

// Clone returns a deep copy of v.
func (v *Version) Clone() Version {
	c := *v
	c.Members = make([]Member, len(v.Members))
	for i, m := range v.Members {
		c.Members[i] = Member{ID: m.ID, Role: m.Role.clone()}
	}
	c.Storage = slices.Clone(v.Storage)
	c.Ring = slices.Clone(v.Ring)
	return c
}

// Zones returns the sorted zones of the storage nodes.
func (v *Version) Zones() []string {
	var zs []string
	for _, m := range v.Members {
		if !m.Role.Gateway {
			zs = append(zs, m.Role.Zone)
		}
	}
	slices.Sort(zs)
	return slices.Compact(zs)
}

func (v *Version) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "version %d: %d nodes, %d storage, RF %d, zone redundancy %s, partition size %s",
		v.Number, len(v.Members), len(v.Storage), v.Params.Replication, v.Params.Redundancy,
		FormatBytes(v.PartitionSize))
	return b.String()
}
