package netem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// PeerFunc names the node at the other end of an accepted connection. It
// may read from c (a preamble) but must leave the rest of the stream alone.
type PeerFunc func(c net.Conn) (string, error)

// Listener wraps a net.Listener so that every accepted connection is
// shaped for writes from the local node to the peer named by its PeerFunc.
type Listener struct {
	net.Listener
	s     *Shaper
	local string
	peer  PeerFunc
}

var _ net.Listener = (*Listener)(nil)

// Listen returns l with its accepted connections shaped from local to the
// peer that peer names. Use ReadPreamble as peer when clients connect with
// Shaper.Dial, or PeerByHost when nodes have distinct addresses.
func (s *Shaper) Listen(l net.Listener, local string, peer PeerFunc) *Listener {
	return &Listener{Listener: l, s: s, local: local, peer: peer}
}

// Accept waits for a connection whose peer can be named and shaped. A
// connection that cannot (bad preamble, unknown node) is closed and
// skipped, so one bad client does not stop a server's accept loop. Peers
// are named one connection at a time: a client that connects and stays
// silent delays the next Accept by up to the preamble timeout (10 s).
// Errors are those of the underlying listener, or of Wrap once the shaper
// is closed.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		name, err := l.peer(c)
		if err != nil {
			c.Close()
			continue
		}
		sc, err := l.s.Wrap(c, l.local, name)
		if errors.Is(err, net.ErrClosed) {
			c.Close()
			return nil, err
		}
		if err != nil {
			c.Close()
			continue
		}
		return sc, nil
	}
}

// preambleMagic starts the preamble Dial writes: magic, one length byte,
// then the dialling node's name.
const preambleMagic = "NTM1"

// preambleTimeout bounds how long ReadPreamble waits for a slow client.
const preambleTimeout = 10 * time.Second

// Dial connects to addr as node from, announces from with a preamble that
// ReadPreamble consumes on the other side, and returns the connection
// shaped from → to.
func (s *Shaper) Dial(ctx context.Context, network, addr, from, to string) (*Conn, error) {
	if len(from) == 0 || len(from) > 255 {
		return nil, fmt.Errorf("dial %s as %q: node name must have 1 to 255 bytes", addr, from)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s as %s: %w", addr, from, err)
	}
	pre := append([]byte(preambleMagic), byte(len(from)))
	if _, err := c.Write(append(pre, from...)); err != nil {
		c.Close()
		return nil, fmt.Errorf("dial %s as %s: preamble: %w", addr, from, err)
	}
	sc, err := s.Wrap(c, from, to)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return sc, nil
}

// ReadPreamble is a PeerFunc reading the preamble written by Shaper.Dial.
func ReadPreamble(c net.Conn) (string, error) {
	if err := c.SetReadDeadline(time.Now().Add(preambleTimeout)); err != nil {
		return "", fmt.Errorf("read preamble: %w", err)
	}
	head := make([]byte, len(preambleMagic)+1)
	if _, err := io.ReadFull(c, head); err != nil {
		return "", fmt.Errorf("read preamble: %w", err)
	}
	if string(head[:len(preambleMagic)]) != preambleMagic || head[len(preambleMagic)] == 0 {
		return "", fmt.Errorf("read preamble: bad header %q", head)
	}
	name := make([]byte, head[len(preambleMagic)])
	if _, err := io.ReadFull(c, name); err != nil {
		return "", fmt.Errorf("read preamble: name: %w", err)
	}
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		return "", fmt.Errorf("read preamble: %w", err)
	}
	return string(name), nil
}

// PeerByHost returns a PeerFunc naming the peer by the host part of its
// remote address, for nodes bound to distinct addresses (127.0.0.2, …).
func PeerByHost(hosts map[string]string) PeerFunc {
	return func(c net.Conn) (string, error) {
		host, _, err := net.SplitHostPort(c.RemoteAddr().String())
		if err != nil {
			return "", fmt.Errorf("peer of %v: %w", c.RemoteAddr(), err)
		}
		name, ok := hosts[host]
		if !ok {
			return "", fmt.Errorf("peer of %v: unknown host %s", c.RemoteAddr(), host)
		}
		return name, nil
	}
}
