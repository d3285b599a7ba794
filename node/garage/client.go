package garage

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// Admin calls the admin endpoints of node To over Net: the CLI's side of
// them in real mode (over a host.Net with the cluster secret), the
// simulated operator's in the simulator. Its zero Opts mean PrioHigh and
// the Net's default timeout.
type Admin struct {
	Net  rt.Net
	To   rt.NodeID
	Opts rt.CallOpts
	// Explain, if set, rewrites call errors (not the node's own replies)
	// into ones an operator can act on.
	Explain func(error) error
}

// call sends req as JSON (nothing if nil) and returns the raw reply.
func (a *Admin) call(ctx context.Context, endpoint string, req any) ([]byte, error) {
	var body []byte
	if req != nil {
		body = encode(req)
	}
	rep, err := a.Net.Call(ctx, a.To, endpoint, body, a.Opts)
	if err != nil && a.Explain != nil {
		err = a.Explain(err)
	}
	return rep, err
}

// callJSON calls endpoint and decodes the reply into a Rep.
func callJSON[Rep any](ctx context.Context, a *Admin, endpoint string, req any) (Rep, error) {
	b, err := a.call(ctx, endpoint, req)
	if err != nil {
		var zero Rep
		return zero, err
	}
	return decode[Rep](endpoint, b)
}

// Status returns the node's view of the cluster.
func (a *Admin) Status(ctx context.Context) (StatusReply, error) {
	return callJSON[StatusReply](ctx, a, EndpointStatus, nil)
}

// Layout returns the node's layout history.
func (a *Admin) Layout(ctx context.Context) (*layout.History, error) {
	b, err := a.call(ctx, EndpointLayout, nil)
	if err != nil {
		return nil, err
	}
	h, err := layout.DecodeHistory(b)
	if err != nil {
		return nil, fmt.Errorf("decode layout history: %w", err)
	}
	return h, nil
}

// Stage stages role changes and, optionally, a zone redundancy.
func (a *Admin) Stage(ctx context.Context, req StageRequest) error {
	_, err := a.call(ctx, EndpointStage, req)
	return err
}

// Apply applies the staged changes as version v.
func (a *Admin) Apply(ctx context.Context, v uint64) (layout.Summary, error) {
	return callJSON[layout.Summary](ctx, a, EndpointApply, ApplyRequest{Version: v})
}

// Revert discards the staged changes.
func (a *Admin) Revert(ctx context.Context) error {
	_, err := a.call(ctx, EndpointRevert, none{})
	return err
}

// SkipDeadNodes lets the transition to version v proceed without the
// nodes that are down; it returns them.
func (a *Admin) SkipDeadNodes(ctx context.Context, v uint64, allowMissingData bool) ([]rt.NodeID, error) {
	rep, err := callJSON[SkipDeadReply](ctx, a, EndpointSkipDead,
		SkipDeadRequest{Version: v, AllowMissingData: allowMissingData})
	return rep.Skipped, err
}

// Connect makes the node connect to peer ("<node id>@host:port").
func (a *Admin) Connect(ctx context.Context, peer string) error {
	_, err := a.call(ctx, EndpointConnect, ConnectRequest{Peer: peer})
	return err
}

// Put writes value under (key, sort) in the debug table and returns its
// timestamp.
func (a *Admin) Put(ctx context.Context, key, sort string, value []byte) (uint64, error) {
	rep, err := callJSON[KVReply](ctx, a, EndpointPut, KVRequest{Key: key, Sort: sort, Value: value})
	return rep.TS, err
}

// Get reads (key, sort) from the debug table.
func (a *Admin) Get(ctx context.Context, key, sort string) (KVReply, error) {
	return callJSON[KVReply](ctx, a, EndpointGet, KVRequest{Key: key, Sort: sort})
}

// Delete deletes (key, sort) from the debug table and returns the
// tombstone's timestamp.
func (a *Admin) Delete(ctx context.Context, key, sort string) (uint64, error) {
	rep, err := callJSON[KVReply](ctx, a, EndpointDelete, KVRequest{Key: key, Sort: sort})
	return rep.TS, err
}

// List returns the live entries of key after sort key after, at most
// limit, and the cursor of the next page ("" at the end).
func (a *Admin) List(ctx context.Context, key, after string, limit int) ([]Item, string, error) {
	rep, err := callJSON[ListReply](ctx, a, EndpointList, KVRequest{Key: key, Sort: after, Limit: limit})
	return rep.Items, rep.Next, err
}
