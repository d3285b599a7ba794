package garage

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// EndpointForget is `node forget`.
const EndpointForget = "admin/node/forget"

// ForgetRequest names the node to forget.
type ForgetRequest struct{ Node rt.NodeID }

// ErrCannotForget is returned by Forget when this node's membership has no
// way to forget a peer.
var ErrCannotForget = errors.New("this node's membership cannot forget peers")

// forgetter is the membership's Forget (cluster.Cluster.Forget: refuses
// this node, a node of a live layout version, and a node that is up).
type forgetter interface {
	Forget(id rt.NodeID) error
}

// Forget removes node id from this node's peers, and through gossip from
// every node's: the operator's answer to a peer that failed its handshake
// or a machine retired for good.
func (n *Node) Forget(id rt.NodeID) error {
	f, ok := any(n.cluster).(forgetter)
	if !ok {
		return fmt.Errorf("forget %s: %w", id.Short(), ErrCannotForget)
	}
	return f.Forget(id)
}

// registerOps installs the admin handlers added after the first ones.
func (n *Node) registerOps(net rt.Net) {
	net.Handle(EndpointForget, handler(EndpointForget, func(_ context.Context, req ForgetRequest) (none, error) {
		return none{}, n.Forget(req.Node)
	}))
}

// Forget makes the node forget node id (see Node.Forget).
func (a *Admin) Forget(ctx context.Context, id rt.NodeID) error {
	_, err := a.call(ctx, EndpointForget, ForgetRequest{Node: id})
	return err
}
