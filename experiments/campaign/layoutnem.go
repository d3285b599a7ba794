package campaign

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
	"github.com/gogarage/garage/sim/nemesis"
)

// layoutChanges is the nemesis class of layout changes during traffic, as
// Garage's Jepsen "r" nemesis, made the way an operator makes them:
// through a node's admin endpoints (stage, apply, revert). Each fault
// removes a storage node, adds one (a spare, or one removed before),
// moves one to another zone, changes its capacity, replaces a workload
// key's whole replica set by nodes without a role, makes two changes back
// to back, or stages a change and reverts it before applying another.
// Changes are not undone: the liveness phase runs on whatever layout the
// safety phase ended with.
type layoutChanges struct {
	r *run
}

var _ nemesis.Nemesis = layoutChanges{}

// Name returns "layout".
func (layoutChanges) Name() string { return "layout" }

// Draw draws a number now and picks the change when the fault starts, from
// the layout of that moment: plans stay a function of the seed.
func (l layoutChanges) Draw(r *sim.Rand, _ nemesis.Topology) nemesis.Fault {
	pick := r.Uint64()
	return nemesis.Fault{Kind: "layout", Desc: "change", Start: func(w *sim.World) func() {
		l.change(pick)
		return nil
	}}
}

// change makes the change pick selects through the first node up and
// records what happened in the history.
func (l layoutChanges) change(pick uint64) {
	i := l.r.c.FirstUp()
	if i < 0 {
		l.r.h.Rec.Nemesis("layout", "no node up")
		return
	}
	a := l.r.c.Admin(i)
	desc, err := l.apply(context.Background(), a, pick)
	if err != nil {
		desc += " rejected: " + err.Error()
	}
	l.r.h.Rec.Nemesis("layout", fmt.Sprintf("via %s: %s", l.r.c.IDs[i], desc))
}

// apply makes the change pick selects among those possible now.
func (l layoutChanges) apply(ctx context.Context, a *garage.Admin, pick uint64) (string, error) {
	h, err := a.Layout(ctx)
	if err != nil {
		return "read layout", err
	}
	p := l.plan(h, pick)
	switch pick % 8 {
	case 6: // two changes back to back
		desc, err := p.commit(ctx, a, p.pickChange(pick/8))
		if err != nil {
			return desc, err
		}
		h2, err := a.Layout(ctx)
		if err != nil {
			return desc + "; read layout", err
		}
		desc2, err := l.plan(h2, pick/8).commit(ctx, a, l.plan(h2, pick/8).pickChange(pick/64))
		return desc + "; then " + desc2, err
	case 7: // a staged change reverted, then another applied
		if err := a.Stage(ctx, p.pickChange(pick/8).req); err != nil {
			return "stage", err
		}
		if err := a.Revert(ctx); err != nil {
			return "revert", err
		}
		desc, err := p.commit(ctx, a, p.pickChange(pick/64))
		return "staged and reverted a change; then " + desc, err
	}
	return p.commit(ctx, a, p.pickChange(pick))
}

// change is one staged change and its description.
type change struct {
	desc string
	req  garage.StageRequest
}

// plan is the layout a change is chosen from.
type plan struct {
	l        layoutChanges
	h        *layout.History
	in, out  []rt.NodeID // storage nodes and nodes without a role
	replicas []rt.NodeID // the nodes of a workload key's partition
}

func (l layoutChanges) plan(h *layout.History, pick uint64) plan {
	p := plan{l: l, h: h, in: h.Current().Storage}
	for _, id := range l.r.c.IDs {
		if _, ok := h.Current().Role(id); !ok {
			p.out = append(p.out, id)
		}
	}
	keys := l.r.keys()
	k := keys[pick%uint64(len(keys))]
	p.replicas = h.Current().NodesOf(h.PartitionOf(cluster.KeyHash([]byte(k.PK))))
	return p
}

// pickChange selects a change among those possible in p.
func (p plan) pickChange(pick uint64) change {
	n, rf := pick/8, p.h.Current().Params.Replication
	switch {
	case pick%8 == 0 && len(p.in) > rf:
		id := p.in[n%uint64(len(p.in))]
		return change{"remove " + string(id), roles(garage.RoleChange{Node: id, Remove: true})}
	case pick%8 == 1 && len(p.out) > 0:
		id := p.out[n%uint64(len(p.out))]
		return change{"add " + string(id), roles(p.storage(id, p.zoneOf(id), simcluster.Capacity))}
	case pick%8 == 2:
		id := p.in[n%uint64(len(p.in))]
		zone := fmt.Sprintf("z%d", n%uint64(max(p.l.r.sc.Cluster.Zones, 1))+1)
		return change{fmt.Sprintf("move %s to %s", id, zone), roles(p.storage(id, zone, simcluster.Capacity))}
	case pick%8 >= 4 && len(p.out) >= rf: // the change that moves data most
		return p.replace()
	}
	id := p.in[n%uint64(len(p.in))]
	role, _ := p.h.Current().Role(id)
	return change{fmt.Sprintf("capacity of %s ×2", id), roles(p.storage(id, role.Zone, 2*role.Capacity))}
}

// replace moves a key's partition to new nodes at once: every node of its
// replica set leaves the layout and every node without a role joins.
func (p plan) replace() change {
	var req garage.StageRequest
	for _, id := range p.replicas {
		req.Roles = append(req.Roles, garage.RoleChange{Node: id, Remove: true})
	}
	for _, id := range p.out {
		req.Roles = append(req.Roles, p.storage(id, p.zoneOf(id), simcluster.Capacity))
	}
	return change{fmt.Sprintf("replace %v by %v", p.replicas, p.out), req}
}

func (p plan) storage(id rt.NodeID, zone string, capacity int64) garage.RoleChange {
	return garage.RoleChange{Node: id, Role: layout.StorageRole(zone, capacity)}
}

func (p plan) zoneOf(id rt.NodeID) string { return p.l.r.sc.Cluster.Zone(p.l.r.c.Index(id)) }

func roles(rcs ...garage.RoleChange) garage.StageRequest { return garage.StageRequest{Roles: rcs} }

// commit stages ch and applies it as the next version.
func (p plan) commit(ctx context.Context, a *garage.Admin, ch change) (string, error) {
	if err := a.Stage(ctx, ch.req); err != nil {
		return ch.desc, err
	}
	v := p.h.Current().Number + 1
	if _, err := a.Apply(ctx, v); err != nil {
		a.Revert(ctx) // leave nothing staged for the next change
		return ch.desc, err
	}
	return fmt.Sprintf("%s -> v%d", ch.desc, v), nil
}
