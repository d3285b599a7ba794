package layout

import (
	"fmt"
	"slices"
	"strings"
)

// Assign stages role r for node id at time ts.
func (h *History) Assign(id NodeID, r Role, ts Timestamp) error {
	if id == "" {
		return fmt.Errorf("assign: %w: empty node id", ErrBadRole)
	}
	if err := r.Check(); err != nil {
		return fmt.Errorf("assign %s: %w", id, err)
	}
	h.Staging.put(StagedRole{Node: id, Role: r.clone()}, ts)
	return nil
}

// Remove stages the removal of node id at time ts. It fails with
// ErrUnknownNode if the node has no role, current or staged.
func (h *History) Remove(id NodeID, ts Timestamp) error {
	if _, ok := h.stagedRole(id); !ok {
		return fmt.Errorf("remove %s: %w: it has no role in version %d nor staged",
			id, ErrUnknownNode, h.Current().Number)
	}
	h.Staging.put(StagedRole{Node: id, Remove: true}, ts)
	return nil
}

// SetRedundancy stages zone redundancy z at time ts.
func (h *History) SetRedundancy(z ZoneRedundancy, ts Timestamp) error {
	p := h.params(z)
	if err := p.Check(); err != nil {
		return fmt.Errorf("set zone redundancy: %w", err)
	}
	h.Staging.setRedundancy(z, ts)
	return nil
}

// StagedRedundancy returns the zone redundancy of the next version.
func (h *History) StagedRedundancy() ZoneRedundancy { return h.Staging.Redundancy.Value }

// stagedRole returns the role id would have after applying the staging.
func (h *History) stagedRole(id NodeID) (Role, bool) {
	if c, ok := h.Staging.Staged(id); ok {
		return c.Role, !c.Remove
	}
	return h.Current().Role(id)
}

// StagedMembers returns the members of the next version: the current ones
// with the staged changes applied, sorted by id.
func (h *History) StagedMembers() []Member {
	var out []Member
	for _, m := range h.Current().Members {
		if _, staged := h.Staging.Staged(m.ID); !staged {
			out = append(out, Member{ID: m.ID, Role: m.Role.clone()})
		}
	}
	for _, c := range h.Staging.Roles {
		if !c.Remove {
			out = append(out, Member{ID: c.Node, Role: c.Role.clone()})
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}

// HasChanges reports whether applying the staging would change roles or
// parameters.
func (h *History) HasChanges() bool {
	cur := h.Current()
	if h.StagedRedundancy() != cur.Params.Redundancy {
		return true
	}
	for _, c := range h.Staging.Roles {
		r, ok := cur.Role(c.Node)
		if c.Remove == ok || (!c.Remove && !r.Equal(c.Role)) {
			return true
		}
	}
	return false
}

// Plan computes the version that Apply would create, without changing h.
func (h *History) Plan() (Version, Summary, error) {
	cur := h.Current()
	next, err := Compute(cur.Number+1, h.StagedMembers(), h.params(h.StagedRedundancy()), cur)
	if err != nil {
		return Version{}, Summary{}, err
	}
	return next, Summarize(cur, &next), nil
}

// Apply turns the staged changes into version n, which must be
// current + 1 (ErrWrongVersion otherwise), and clears the staging at time
// ts. The new version becomes live next to the older ones until the
// transition completes (see Trackers).
func (h *History) Apply(n uint64, ts Timestamp) (Summary, error) {
	if want := h.Current().Number + 1; n != want {
		return Summary{}, fmt.Errorf("apply layout version %d: %w: the next version is %d", n, ErrWrongVersion, want)
	}
	next, sum, err := h.Plan()
	if err != nil {
		return Summary{}, fmt.Errorf("apply: %w", err)
	}
	h.Versions = append(h.Versions, next)
	h.Staging.reset(next.Params.Redundancy, ts)
	h.cleanup()
	return sum, nil
}

// Revert discards the staged changes at time ts.
func (h *History) Revert(ts Timestamp) {
	h.Staging.reset(h.Current().Params.Redundancy, ts)
}
