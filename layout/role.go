package layout

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors. Functions wrap them with context; test with errors.Is.
var (
	// ErrBadRole is a role that cannot be staged: empty zone, a storage
	// role without a positive capacity, a gateway with a capacity.
	ErrBadRole = errors.New("invalid role")
	// ErrBadParams is an invalid replication factor, zone redundancy or
	// partition count.
	ErrBadParams = errors.New("invalid layout parameters")
	// ErrTooFewNodes is a layout with fewer storage nodes than the
	// replication factor.
	ErrTooFewNodes = errors.New("not enough storage nodes")
	// ErrTooFewZones is a layout with fewer zones than the zone redundancy.
	ErrTooFewZones = errors.New("not enough zones")
	// ErrInfeasible is a layout whose capacities cannot hold the replicas
	// even with a partition size of one byte.
	ErrInfeasible = errors.New("no feasible assignment")
	// ErrUnknownNode is a removal of a node that has no role.
	ErrUnknownNode = errors.New("unknown node")
	// ErrWrongVersion is an apply of a version other than current + 1.
	ErrWrongVersion = errors.New("wrong layout version")
	// ErrConflict is a merge that met two different versions with the same
	// number.
	ErrConflict = errors.New("conflicting layout versions")
)

// Role is what a node does in the cluster. A storage node has a zone and a
// capacity in bytes; a gateway has a zone, no capacity, and holds no data.
type Role struct {
	Zone     string   `json:"zone"`
	Capacity int64    `json:"capacity"` // bytes; 0 for a gateway
	Gateway  bool     `json:"gateway,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

// StorageRole returns a storage role.
func StorageRole(zone string, capacity int64, tags ...string) Role {
	return Role{Zone: zone, Capacity: capacity, Tags: tags}
}

// GatewayRole returns a gateway role.
func GatewayRole(zone string, tags ...string) Role {
	return Role{Zone: zone, Gateway: true, Tags: tags}
}

// Check reports whether r can be staged.
func (r Role) Check() error {
	switch {
	case strings.TrimSpace(r.Zone) == "":
		return fmt.Errorf("%w: empty zone", ErrBadRole)
	case r.Gateway && r.Capacity != 0:
		return fmt.Errorf("%w: gateway with capacity %d", ErrBadRole, r.Capacity)
	case !r.Gateway && r.Capacity <= 0:
		return fmt.Errorf("%w: capacity %d must be positive (or make the node a gateway)", ErrBadRole, r.Capacity)
	}
	return nil
}

// Equal reports whether r and o are the same role.
func (r Role) Equal(o Role) bool {
	return r.Zone == o.Zone && r.Capacity == o.Capacity && r.Gateway == o.Gateway &&
		slices.Equal(r.Tags, o.Tags)
}

func (r Role) clone() Role {
	r.Tags = slices.Clone(r.Tags)
	return r
}

func (r Role) String() string {
	if r.Gateway {
		return fmt.Sprintf("%s gateway %v", r.Zone, r.Tags)
	}
	return fmt.Sprintf("%s %s %v", r.Zone, FormatBytes(r.Capacity), r.Tags)
}

// Member is a node with its role.
type Member struct {
	ID   NodeID `json:"id"`
	Role Role   `json:"role"`
}

// sortMembers sorts ms by id and rejects duplicates and invalid roles.
func sortMembers(ms []Member) ([]Member, error) {
	out := make([]Member, len(ms))
	for i, m := range ms {
		if err := m.Role.Check(); err != nil {
			return nil, fmt.Errorf("node %s: %w", m.ID, err)
		}
		out[i] = Member{ID: m.ID, Role: m.Role.clone()}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(string(a.ID), string(b.ID)) })
	for i := 1; i < len(out); i++ {
		if out[i].ID == out[i-1].ID {
			return nil, fmt.Errorf("%w: node %s listed twice", ErrBadRole, out[i].ID)
		}
	}
	return out, nil
}

// ZoneRedundancy is the number of distinct zones each partition must span.
// The zero value is Maximum.
type ZoneRedundancy int

// Maximum asks for min(number of zones, replication factor) zones.
const Maximum ZoneRedundancy = 0

// AtLeast asks for at least n zones per partition; n must be in [1, RF].
func AtLeast(n int) ZoneRedundancy { return ZoneRedundancy(n) }

func (z ZoneRedundancy) String() string {
	if z == Maximum {
		return "maximum"
	}
	return fmt.Sprintf("at least %d", int(z))
}

// effective returns the number of zones required with rf replicas over
// zones zones, or an error if that cannot be met.
func (z ZoneRedundancy) effective(rf, zones int) (int, error) {
	if z == Maximum {
		return min(rf, zones), nil
	}
	if z < 0 || int(z) > rf {
		return 0, fmt.Errorf("%w: zone redundancy %d outside [1, replication factor %d]", ErrBadParams, int(z), rf)
	}
	if int(z) > zones {
		return 0, fmt.Errorf("%w: zone redundancy %d needs %d zones, have %d", ErrTooFewZones, int(z), int(z), zones)
	}
	return int(z), nil
}

// Params are the parameters of a layout version.
type Params struct {
	Replication   int            `json:"replication"`     // RF, at least 1
	Redundancy    ZoneRedundancy `json:"zone_redundancy"` // Maximum or AtLeast(n)
	PartitionBits int            `json:"partition_bits"`  // 2^bits partitions
}

// DefaultParams returns RF rf, maximum zone redundancy and 256 partitions.
func DefaultParams(rf int) Params {
	return Params{Replication: rf, Redundancy: Maximum, PartitionBits: DefaultPartitionBits}
}

// Check reports whether p is valid on its own.
func (p Params) Check() error {
	switch {
	case p.Replication < 1:
		return fmt.Errorf("%w: replication factor %d < 1", ErrBadParams, p.Replication)
	case p.PartitionBits < 0 || p.PartitionBits > MaxPartitionBits:
		return fmt.Errorf("%w: partition bits %d outside [0, %d]", ErrBadParams, p.PartitionBits, MaxPartitionBits)
	case p.Redundancy < 0 || int(p.Redundancy) > p.Replication:
		return fmt.Errorf("%w: zone redundancy %d outside [1, replication factor %d]", ErrBadParams, int(p.Redundancy), p.Replication)
	}
	return nil
}

// Partitions returns the number of partitions, 2^PartitionBits.
func (p Params) Partitions() int { return 1 << p.PartitionBits }
