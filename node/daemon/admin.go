package daemon

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/rt"
)

// admin serves the admin endpoints of one daemon.
type admin struct {
	cluster *cluster.Cluster
	kv      *kv
}

// none is the empty request or reply.
type none struct{}

// register installs every admin handler on n.
func (a *admin) register(n rt.Net) {
	n.Handle(EndpointStatus, handler(EndpointStatus, a.status))
	n.Handle(EndpointLayout, a.layout)
	n.Handle(EndpointStage, handler(EndpointStage, a.stage))
	n.Handle(EndpointApply, handler(EndpointApply, a.apply))
	n.Handle(EndpointRevert, handler(EndpointRevert, a.revert))
	n.Handle(EndpointSkipDead, handler(EndpointSkipDead, a.skipDead))
	n.Handle(EndpointConnect, handler(EndpointConnect, a.connect))
	n.Handle(EndpointPut, handler(EndpointPut, a.put))
	n.Handle(EndpointGet, handler(EndpointGet, a.get))
	n.Handle(EndpointDelete, handler(EndpointDelete, a.del))
}

// handler adapts a typed admin function to an rt.Handler with JSON
// messages.
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

func (a *admin) status(context.Context, none) (StatusReply, error) {
	h := a.cluster.History()
	rep := StatusReply{Self: a.cluster.ID(), Nodes: a.cluster.Status(), Health: a.cluster.Health(),
		LayoutVersion: h.Current().Number}
	for _, r := range h.Staging.Roles {
		rep.Staged = append(rep.Staged, r.Node)
	}
	return rep, nil
}

// layout replies with the encoded layout history.
func (a *admin) layout(context.Context, rt.NodeID, []byte) ([]byte, error) {
	b, err := a.cluster.History().Encode()
	if err != nil {
		return nil, fmt.Errorf("encode layout history: %w", err)
	}
	return b, nil
}

func (a *admin) stage(_ context.Context, req StageRequest) (none, error) {
	for _, rc := range req.Roles {
		if err := a.stageRole(rc); err != nil {
			return none{}, err
		}
	}
	if req.Redundancy == nil {
		return none{}, nil
	}
	z := layout.Maximum
	if *req.Redundancy > 0 {
		z = layout.AtLeast(*req.Redundancy)
	}
	return none{}, a.cluster.StageRedundancy(z)
}

func (a *admin) stageRole(rc RoleChange) error {
	if rc.Remove {
		return a.cluster.StageRemove(rc.Node)
	}
	if err := rc.Role.Check(); err != nil {
		return fmt.Errorf("role of %s: %w", rc.Node.Short(), err)
	}
	return a.cluster.StageRole(rc.Node, rc.Role)
}

func (a *admin) apply(_ context.Context, req ApplyRequest) (layout.Summary, error) {
	return a.cluster.Apply(req.Version)
}

func (a *admin) revert(context.Context, none) (none, error) {
	return none{}, a.cluster.Revert()
}

func (a *admin) skipDead(_ context.Context, req SkipDeadRequest) (SkipDeadReply, error) {
	dead, err := a.cluster.SkipDeadNodes(req.Version, req.AllowMissingData)
	return SkipDeadReply{Skipped: dead}, err
}

func (a *admin) connect(ctx context.Context, req ConnectRequest) (none, error) {
	p, err := cluster.ParsePeer(req.Peer)
	if err != nil {
		return none{}, err
	}
	if _, err := nodekey.ParseID(p.ID); err != nil {
		return none{}, fmt.Errorf("connect %s: node id must be 64 hexadecimal characters: %w", req.Peer, err)
	}
	if err := a.cluster.Connect(ctx, p.ID, p.Addr); err != nil {
		return none{}, fmt.Errorf("connect %s: %w", p.ID.Short(), err)
	}
	return none{}, nil
}

func (a *admin) put(ctx context.Context, req KVRequest) (KVReply, error) {
	ts, err := a.kv.write(ctx, req.Key, kvValue{Data: req.Value})
	return KVReply{TS: ts}, err
}

func (a *admin) del(ctx context.Context, req KVRequest) (KVReply, error) {
	ts, err := a.kv.write(ctx, req.Key, kvValue{Deleted: true})
	return KVReply{TS: ts}, err
}

func (a *admin) get(ctx context.Context, req KVRequest) (KVReply, error) {
	return a.kv.get(ctx, req.Key)
}
