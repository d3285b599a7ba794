package daemon

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
)

// DefaultClientTimeout bounds each admin call of a Client.
const DefaultClientTimeout = 30 * time.Second

// Client calls the admin endpoints of one daemon, as the CLI does: over
// the RPC mesh, with the cluster secret and a throw-away identity. Its
// operations are garage.Admin's, the same the simulated operator uses.
type Client struct {
	*garage.Admin
	net  *host.Net
	addr string
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
	c := &Client{net: n, addr: p.Addr}
	c.Admin = &garage.Admin{Net: n, To: p.ID, Explain: c.explain,
		Opts: rt.CallOpts{Timeout: DefaultClientTimeout, Prio: rt.PrioHigh}}
	return c, nil
}

// SetTimeout bounds each call from now on (DefaultClientTimeout if d <= 0).
func (c *Client) SetTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultClientTimeout
	}
	c.Opts.Timeout = d
}

// Close releases the client's connection.
func (c *Client) Close() error { return c.net.Close() }

// explain turns a call error into one an operator can act on.
func (c *Client) explain(err error) error {
	var re *rt.RemoteError
	switch {
	case errors.As(err, &re):
		return remoteError(re.Msg)
	case errors.Is(err, rt.ErrUnreachable):
		return fmt.Errorf("cannot reach node %s at %s (is it running, and is rpc_secret the same?): %w",
			c.To.Short(), c.addr, err)
	}
	return fmt.Errorf("node %s at %s: %w", c.To.Short(), c.addr, err)
}

// remoteError turns the message of a node's error back into an error,
// wrapping the sentinels of garage that callers test for, which a message
// does not carry across the network.
func remoteError(msg string) error {
	for _, sentinel := range []error{garage.ErrNothingStaged, garage.ErrCannotForget} {
		if strings.Contains(msg, sentinel.Error()) {
			return &sentinelError{msg: msg, sentinel: sentinel}
		}
	}
	return errors.New(msg)
}

// sentinelError is a node's error message known to carry a sentinel.
type sentinelError struct {
	msg      string
	sentinel error
}

func (e *sentinelError) Error() string { return e.msg }

func (e *sentinelError) Unwrap() error { return e.sentinel }
