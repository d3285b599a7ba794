package daemon

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
)

// DefaultClientTimeout bounds each admin call of a Client.
const DefaultClientTimeout = 30 * time.Second

// Client calls the admin endpoints of one daemon, as the CLI does: over
// the RPC mesh, with the cluster secret and a throw-away identity.
type Client struct {
	net     *host.Net
	to      rt.NodeID
	addr    string
	Timeout time.Duration // per call; zero means DefaultClientTimeout
}

// Dial prepares a client of the daemon target ("<node id>@host:port").
// Nothing is sent until the first call.
func Dial(target string, secret [secconn.SecretSize]byte) (*Client, error) {
	p, err := cluster.ParsePeer(target)
	if err != nil {
		return nil, fmt.Errorf("rpc host: %w", err)
	}
	if _, err := nodekey.ParseID(p.ID); err != nil {
		return nil, fmt.Errorf("rpc host %s: node id must be 64 hexadecimal characters", target)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("client key: %w", err)
	}
	n, err := host.NewNet(host.NetConfig{ID: nodekey.ID(pub), ConnHook: secconn.Hook(secret, key),
		DialTimeout: 5 * time.Second, HandshakeTimeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	n.AddPeer(p.ID, p.Addr)
	return &Client{net: n, to: p.ID, addr: p.Addr}, nil
}

// Close releases the client's connection.
func (c *Client) Close() error { return c.net.Close() }

// call sends req (JSON unless it is already bytes) and returns the raw reply.
func (c *Client) call(ctx context.Context, endpoint string, req any) ([]byte, error) {
	var body []byte
	if req != nil {
		body = encode(req)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultClientTimeout
	}
	rep, err := c.net.Call(ctx, c.to, endpoint, body, rt.CallOpts{Timeout: timeout, Prio: rt.PrioHigh})
	if err != nil {
		return nil, c.explain(err)
	}
	return rep, nil
}

// explain turns a call error into one an operator can act on.
func (c *Client) explain(err error) error {
	var re *rt.RemoteError
	switch {
	case errors.As(err, &re):
		return errors.New(re.Msg)
	case errors.Is(err, rt.ErrUnreachable):
		return fmt.Errorf("cannot reach node %s at %s (is it running, and is rpc_secret the same?): %w",
			c.to.Short(), c.addr, err)
	}
	return fmt.Errorf("node %s at %s: %w", c.to.Short(), c.addr, err)
}

// callJSON calls endpoint and decodes the reply into a Rep.
func callJSON[Rep any](ctx context.Context, c *Client, endpoint string, req any) (Rep, error) {
	b, err := c.call(ctx, endpoint, req)
	if err != nil {
		var zero Rep
		return zero, err
	}
	return decode[Rep](endpoint, b)
}

// Status returns the node's view of the cluster.
func (c *Client) Status(ctx context.Context) (StatusReply, error) {
	return callJSON[StatusReply](ctx, c, EndpointStatus, nil)
}

// Layout returns the node's layout history.
func (c *Client) Layout(ctx context.Context) (*layout.History, error) {
	b, err := c.call(ctx, EndpointLayout, nil)
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
func (c *Client) Stage(ctx context.Context, req StageRequest) error {
	_, err := c.call(ctx, EndpointStage, req)
	return err
}

// Apply applies the staged changes as version v.
func (c *Client) Apply(ctx context.Context, v uint64) (layout.Summary, error) {
	return callJSON[layout.Summary](ctx, c, EndpointApply, ApplyRequest{Version: v})
}

// Revert discards the staged changes.
func (c *Client) Revert(ctx context.Context) error {
	_, err := c.call(ctx, EndpointRevert, none{})
	return err
}

// SkipDeadNodes lets the transition to version v proceed without the
// nodes that are down; it returns them.
func (c *Client) SkipDeadNodes(ctx context.Context, v uint64, allowMissingData bool) ([]rt.NodeID, error) {
	rep, err := callJSON[SkipDeadReply](ctx, c, EndpointSkipDead, SkipDeadRequest{Version: v, AllowMissingData: allowMissingData})
	return rep.Skipped, err
}

// Connect makes the node connect to peer ("<node id>@host:port").
func (c *Client) Connect(ctx context.Context, peer string) error {
	_, err := c.call(ctx, EndpointConnect, ConnectRequest{Peer: peer})
	return err
}

// Put writes value under key in the debug key-value table and returns its
// timestamp.
func (c *Client) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	rep, err := callJSON[KVReply](ctx, c, EndpointPut, KVRequest{Key: key, Value: value})
	return rep.TS, err
}

// Get reads key from the debug key-value table.
func (c *Client) Get(ctx context.Context, key string) (KVReply, error) {
	return callJSON[KVReply](ctx, c, EndpointGet, KVRequest{Key: key})
}

// Delete deletes key from the debug key-value table and returns the tombstone's
// timestamp.
func (c *Client) Delete(ctx context.Context, key string) (uint64, error) {
	rep, err := callJSON[KVReply](ctx, c, EndpointDelete, KVRequest{Key: key})
	return rep.TS, err
}
