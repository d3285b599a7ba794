package garage

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// register installs the admin handlers on the node's Net.
func (n *Node) register() {
	net := n.env.Net
	net.Handle(EndpointStatus, handler(EndpointStatus, func(context.Context, none) (StatusReply, error) {
		return n.Status(), nil
	}))
	net.Handle(EndpointLayout, n.handleLayout)
	net.Handle(EndpointStage, handler(EndpointStage, func(_ context.Context, req StageRequest) (none, error) {
		return none{}, n.Stage(req)
	}))
	net.Handle(EndpointApply, handler(EndpointApply, func(_ context.Context, req ApplyRequest) (layout.Summary, error) {
		return n.Apply(req.Version)
	}))
	net.Handle(EndpointRevert, handler(EndpointRevert, func(context.Context, none) (none, error) {
		return none{}, n.Revert()
	}))
	net.Handle(EndpointSkipDead, handler(EndpointSkipDead, n.handleSkipDead))
	net.Handle(EndpointConnect, handler(EndpointConnect, func(ctx context.Context, req ConnectRequest) (none, error) {
		return none{}, n.Connect(ctx, req.Peer)
	}))
	n.registerKV(net)
	n.registerOps(net)
	n.registerBuckets(net)
	n.registerKeys(net)
	n.registerMaintenance(net)
}

func (n *Node) registerKV(net rt.Net) {
	net.Handle(EndpointPut, handler(EndpointPut, func(ctx context.Context, req KVRequest) (KVReply, error) {
		ts, err := n.kv.Put(ctx, req.Key, req.Sort, req.Value)
		return KVReply{TS: ts}, err
	}))
	net.Handle(EndpointDelete, handler(EndpointDelete, func(ctx context.Context, req KVRequest) (KVReply, error) {
		ts, err := n.kv.Delete(ctx, req.Key, req.Sort)
		return KVReply{TS: ts}, err
	}))
	net.Handle(EndpointGet, handler(EndpointGet, func(ctx context.Context, req KVRequest) (KVReply, error) {
		r, err := n.kv.Get(ctx, req.Key, req.Sort)
		return KVReply(r), err
	}))
	net.Handle(EndpointList, handler(EndpointList, func(ctx context.Context, req KVRequest) (ListReply, error) {
		items, next, err := n.kv.List(ctx, req.Key, req.Sort, req.Limit)
		return ListReply{Items: items, Next: next}, err
	}))
}

// handler adapts a typed function to an rt.Handler with JSON messages.
func handler[Req, Rep any](endpoint string, fn func(context.Context, Req) (Rep, error)) rt.Handler {
	return func(ctx context.Context, _ rt.NodeID, b []byte) ([]byte, error) {
		req, err := decode[Req](endpoint, b)
		if err != nil {
			return nil, err
		}
		rep, err := fn(ctx, req)
		if err != nil {
			return nil, err
		}
		return encode(rep), nil
	}
}

// handleLayout replies with the canonical encoding of the layout history.
func (n *Node) handleLayout(context.Context, rt.NodeID, []byte) ([]byte, error) {
	b, err := n.cluster.History().Encode()
	if err != nil {
		return nil, fmt.Errorf("encode layout history: %w", err)
	}
	return b, nil
}

func (n *Node) handleSkipDead(_ context.Context, req SkipDeadRequest) (SkipDeadReply, error) {
	dead, err := n.SkipDeadNodes(req.Version, req.AllowMissingData)
	return SkipDeadReply{Skipped: dead}, err
}
