package garage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// peerCallTimeout bounds each admin call a node makes to another for an
// operator (fan-outs, node selectors of the admin API).
const peerCallTimeout = 20 * time.Second

// AdminOf returns a client of node id's admin endpoints over this node's
// Net: how a node asks another on an operator's behalf (a call to itself
// runs the handler directly).
func (n *Node) AdminOf(id rt.NodeID) *Admin {
	return &Admin{Net: n.env.Net, To: id, Opts: rt.CallOpts{Timeout: peerCallTimeout, Prio: rt.PrioHigh}}
}

// knownNodes returns every node this node knows of, itself included,
// sorted.
func (n *Node) knownNodes() []rt.NodeID {
	ids := []rt.NodeID{n.ID()}
	for _, ni := range n.cluster.Status() {
		ids = append(ids, ni.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Targets resolves a node selector of Garage v2's admin API: "self" (or
// empty) is this node, "*" every node it knows of, anything else the
// known node whose id is, or starts with, sel.
func (n *Node) Targets(sel string) ([]rt.NodeID, error) {
	switch sel {
	case "", "self":
		return []rt.NodeID{n.ID()}, nil
	case "*":
		return n.knownNodes(), nil
	}
	var match []rt.NodeID
	for _, id := range n.knownNodes() {
		if strings.HasPrefix(string(id), strings.ToLower(sel)) {
			match = append(match, id)
		}
	}
	switch len(match) {
	case 0:
		return nil, fmt.Errorf("node %q: %w", sel, ErrUnknownNode)
	case 1:
		return match, nil
	}
	return nil, fmt.Errorf("node %q: %w: it matches %s", sel, ErrAmbiguous, shortIDs(match))
}

func shortIDs(ids []rt.NodeID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.Short()
	}
	return strings.Join(s, ", ")
}

// NodeResult is one node's answer in a fan-out.
type NodeResult[T any] struct {
	Node  rt.NodeID
	Value T
	Err   error
}

// FanOut calls fn with a client of each node of ids at once and returns
// their answers in the order of ids. Every call ends within
// peerCallTimeout.
func FanOut[T any](ctx context.Context, n *Node, ids []rt.NodeID, fn func(ctx context.Context, a *Admin) (T, error)) []NodeResult[T] {
	futs := make([]*rt.Future[T], len(ids))
	for i, id := range ids {
		futs[i] = rt.Go(n.env.Tasks, "admin-fan-out", func(context.Context) (T, error) { return fn(ctx, n.AdminOf(id)) })
	}
	out := make([]NodeResult[T], len(ids))
	for i, f := range futs {
		v, err := f.Wait(context.Background())
		out[i] = NodeResult[T]{Node: ids[i], Value: v, Err: err}
	}
	return out
}
