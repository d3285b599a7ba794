package admin

import (
	"fmt"
	"net/http"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// layoutOps registers the cluster layout operations.
func (s *Server) layoutOps(ops map[string]op) {
	g := s.cfg.Node
	ops["GetClusterLayout"] = op{http.MethodGet, func(*http.Request) (any, error) { return layoutOf(g.Layout()), nil }}
	ops["UpdateClusterLayout"] = op{http.MethodPost, s.updateLayout}
	ops["ApplyClusterLayout"] = op{http.MethodPost, s.applyLayout}
	ops["RevertClusterLayout"] = op{http.MethodPost, func(*http.Request) (any, error) {
		if err := g.Revert(); err != nil {
			return nil, err
		}
		return layoutOf(g.Layout()), nil
	}}
}

// LayoutRole is a role of the current layout.
type LayoutRole struct {
	ID               string   `json:"id"`
	Zone             string   `json:"zone"`
	Capacity         *int64   `json:"capacity"`
	Tags             []string `json:"tags"`
	StoredPartitions *int     `json:"storedPartitions"`
	UsableCapacity   *int64   `json:"usableCapacity"`
}

// RoleChange is a staged change: a removal, or a new role (Capacity nil
// for a gateway).
type RoleChange struct {
	ID       string   `json:"id"`
	Remove   bool     `json:"remove,omitempty"`
	Zone     string   `json:"zone,omitempty"`
	Capacity *int64   `json:"capacity,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

// Redundancy is a zone redundancy: "maximum", or {"atLeast": n}.
type Redundancy struct {
	AtLeast int `json:"atLeast,omitempty"`
}

// MarshalJSON writes "maximum" or {"atLeast": n}.
func (z Redundancy) MarshalJSON() ([]byte, error) {
	if z.AtLeast == 0 {
		return []byte(`"maximum"`), nil
	}
	return fmt.Appendf(nil, `{"atLeast":%d}`, z.AtLeast), nil
}

// UnmarshalJSON reads "maximum" or {"atLeast": n}.
func (z *Redundancy) UnmarshalJSON(b []byte) error {
	if string(b) == `"maximum"` {
		*z = Redundancy{}
		return nil
	}
	var v struct {
		AtLeast *int `json:"atLeast"`
	}
	if err := decodeStrict(b, &v); err != nil || v.AtLeast == nil || *v.AtLeast < 1 {
		return fmt.Errorf(`zoneRedundancy: want "maximum" or {"atLeast": n} with n >= 1, got %s`, b)
	}
	z.AtLeast = *v.AtLeast
	return nil
}

// Params are the layout parameters.
type Params struct {
	ZoneRedundancy Redundancy `json:"zoneRedundancy"`
}

// LayoutResp is GetClusterLayout's reply (and UpdateClusterLayout's,
// RevertClusterLayout's).
type LayoutResp struct {
	Version           uint64       `json:"version"`
	Roles             []LayoutRole `json:"roles"`
	Parameters        Params       `json:"parameters"`
	PartitionSize     int64        `json:"partitionSize"`
	StagedRoleChanges []RoleChange `json:"stagedRoleChanges"`
	StagedParameters  *Params      `json:"stagedParameters"`
}

func layoutOf(h *layout.History) LayoutResp {
	cur := h.Current()
	out := LayoutResp{Version: cur.Number, Roles: []LayoutRole{}, StagedRoleChanges: []RoleChange{},
		Parameters: Params{Redundancy{AtLeast: int(cur.Params.Redundancy)}}, PartitionSize: cur.PartitionSize}
	stored := map[layout.NodeID]int{}
	for i, n := range cur.Load() {
		stored[cur.Storage[i]] = n
	}
	for _, m := range cur.Members {
		r := roleResp(m.Role)
		lr := LayoutRole{ID: string(m.ID), Zone: r.Zone, Capacity: r.Capacity, Tags: r.Tags}
		if !m.Role.Gateway {
			n, usable := stored[m.ID], int64(stored[m.ID])*cur.PartitionSize
			lr.StoredPartitions, lr.UsableCapacity = &n, &usable
		}
		out.Roles = append(out.Roles, lr)
	}
	for _, sr := range h.Staging.Roles {
		rc := RoleChange{ID: string(sr.Node), Remove: sr.Remove}
		if !sr.Remove {
			r := roleResp(sr.Role)
			rc.Zone, rc.Capacity, rc.Tags = r.Zone, r.Capacity, r.Tags
		}
		out.StagedRoleChanges = append(out.StagedRoleChanges, rc)
	}
	if z := h.StagedRedundancy(); z != cur.Params.Redundancy {
		out.StagedParameters = &Params{Redundancy{AtLeast: int(z)}}
	}
	return out
}

// UpdateLayoutReq is UpdateClusterLayout's request.
type UpdateLayoutReq struct {
	Roles      []RoleChange `json:"roles"`
	Parameters *Params      `json:"parameters"`
}

func (s *Server) updateLayout(r *http.Request) (any, error) {
	var req UpdateLayoutReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var stage garage.StageRequest
	for i, rc := range req.Roles {
		c, err := roleChange(rc)
		if err != nil {
			return nil, badRequest("roles[%d]: %v", i, err)
		}
		stage.Roles = append(stage.Roles, c)
	}
	if req.Parameters != nil {
		z := req.Parameters.ZoneRedundancy.AtLeast
		stage.Redundancy = &z
	}
	if err := s.cfg.Node.Stage(stage); err != nil {
		return nil, err
	}
	return layoutOf(s.cfg.Node.Layout()), nil
}

// roleChange checks one requested change: a full node id, and a zone
// unless it is a removal (capacity absent: a gateway).
func roleChange(rc RoleChange) (garage.RoleChange, error) {
	if len(rc.ID) != 64 {
		return garage.RoleChange{}, fmt.Errorf("id %q: want a full node id (64 hexadecimal characters)", rc.ID)
	}
	id := rt.NodeID(rc.ID)
	if rc.Remove {
		return garage.RoleChange{Node: id, Remove: true}, nil
	}
	if rc.Zone == "" {
		return garage.RoleChange{}, fmt.Errorf("node %s: zone missing", id.Short())
	}
	role := layout.GatewayRole(rc.Zone, rc.Tags...)
	if rc.Capacity != nil {
		if *rc.Capacity < 1 {
			return garage.RoleChange{}, fmt.Errorf("node %s: capacity %d: want at least 1 byte (omit it for a gateway)", id.Short(), *rc.Capacity)
		}
		role = layout.StorageRole(rc.Zone, *rc.Capacity, rc.Tags...)
	}
	return garage.RoleChange{Node: id, Role: role}, nil
}

// ApplyLayoutReq is ApplyClusterLayout's request.
type ApplyLayoutReq struct {
	Version uint64 `json:"version"`
}

// ApplyLayoutResp is ApplyClusterLayout's reply.
type ApplyLayoutResp struct {
	Message []string   `json:"message"`
	Layout  LayoutResp `json:"layout"`
}

func (s *Server) applyLayout(r *http.Request) (any, error) {
	var req ApplyLayoutReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.Version == 0 {
		return nil, badRequest("version missing: want the current layout version + 1 (see GetClusterLayout)")
	}
	sum, err := s.cfg.Node.Apply(req.Version)
	if err != nil {
		return nil, err
	}
	return ApplyLayoutResp{Message: splitLines(sum.String()), Layout: layoutOf(s.cfg.Node.Layout())}, nil
}
