package garage

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/rt"
)

// ErrNothingStaged is returned by Apply and Revert when no change is
// staged: there is nothing to do, and nothing was changed.
var ErrNothingStaged = errors.New("no layout change is staged")

// Status returns this node's view of the cluster.
func (n *Node) Status() StatusReply {
	h := n.cluster.History()
	rep := StatusReply{Self: n.ID(), Nodes: n.cluster.Status(), Health: n.cluster.Health(),
		LayoutVersion: h.Current().Number}
	for _, r := range h.Staging.Roles {
		rep.Staged = append(rep.Staged, r.Node)
	}
	return rep
}

// Layout returns a copy of this node's layout history.
func (n *Node) Layout() *layout.History { return n.cluster.History() }

// Stage stages role changes and, if req.Redundancy is set, a zone
// redundancy. Every role is checked before any is staged.
func (n *Node) Stage(req StageRequest) error {
	for _, rc := range req.Roles {
		if err := checkRole(rc); err != nil {
			return err
		}
	}
	for _, rc := range req.Roles {
		if err := n.stageRole(rc); err != nil {
			return err
		}
	}
	if req.Redundancy == nil {
		return nil
	}
	z := layout.Maximum
	if *req.Redundancy > 0 {
		z = layout.AtLeast(*req.Redundancy)
	}
	return n.cluster.StageRedundancy(z)
}

func checkRole(rc RoleChange) error {
	if rc.Remove {
		return nil
	}
	if err := rc.Role.Check(); err != nil {
		return fmt.Errorf("role of %s: %w", rc.Node.Short(), err)
	}
	return nil
}

func (n *Node) stageRole(rc RoleChange) error {
	if rc.Remove {
		return n.cluster.StageRemove(rc.Node)
	}
	return n.cluster.StageRole(rc.Node, rc.Role)
}

// Apply turns the staged changes into layout version v, which must be the
// current version + 1. It fails with ErrNothingStaged when nothing is
// staged.
func (n *Node) Apply(v uint64) (layout.Summary, error) {
	if !n.cluster.History().HasChanges() {
		return layout.Summary{}, fmt.Errorf("apply layout version %d: %w", v, ErrNothingStaged)
	}
	return n.cluster.Apply(v)
}

// Revert discards the staged changes. It fails with ErrNothingStaged when
// nothing is staged.
func (n *Node) Revert() error {
	if !n.cluster.History().HasChanges() {
		return fmt.Errorf("revert: %w", ErrNothingStaged)
	}
	return n.cluster.Revert()
}

// SkipDeadNodes lets the transition to version v proceed without the nodes
// that are down now, and returns them.
func (n *Node) SkipDeadNodes(v uint64, allowMissingData bool) ([]rt.NodeID, error) {
	return n.cluster.SkipDeadNodes(v, allowMissingData)
}

// Connect makes this node connect to peer ("<node id>@host:port").
func (n *Node) Connect(ctx context.Context, peer string) error {
	p, err := cluster.ParsePeer(peer)
	if err != nil {
		return err
	}
	if err := n.cluster.Connect(ctx, p.ID, p.Addr); err != nil {
		return fmt.Errorf("connect %s: %w", p.ID.Short(), err)
	}
	return nil
}
