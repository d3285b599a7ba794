package host

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// helloMax bounds the hello frame, read before the peer is trusted.
const helloMax = headerLen + helloMinSize + 1024

// errHandshake marks a connection refused during its handshake: a peer
// without the network secret, or one that is not who it claims.
var errHandshake = errors.New("handshake failed")

// handshake identifies the node at the other end of nc: through the
// ConnHook if set, then by exchanging hellos. expect, if not empty, is the
// node the initiator meant to reach. On error nc is closed.
func (n *Net) handshake(nc net.Conn, initiator bool, expect rt.NodeID) (*conn, error) {
	if !n.trackRaw(nc, true) {
		nc.Close()
		return nil, errClosed
	}
	defer n.trackRaw(nc, false)
	limitUnsent(nc, n.cfg.UnsentLimit)
	nc.SetDeadline(time.Now().Add(n.cfg.HandshakeTimeout))
	c, hi, err := n.identify(nc, initiator, expect)
	if err != nil {
		nc.Close()
		if c != nil {
			c.Close()
		}
		return nil, fmt.Errorf("%w with %s: %w", errHandshake, nc.RemoteAddr(), err)
	}
	nc.SetDeadline(time.Time{})
	c.SetDeadline(time.Time{})
	if n.cfg.WrapConn != nil {
		c = n.cfg.WrapConn(c, n.id, hi.id)
	}
	return newConn(n, c, hi, initiator), nil
}

// identify runs the hook (if any) and the hello exchange; it returns the
// connection to use from now on and the peer's hello.
func (n *Net) identify(nc net.Conn, initiator bool, expect rt.NodeID) (net.Conn, hello, error) {
	c := nc
	var hookID rt.NodeID
	if n.cfg.ConnHook != nil {
		var err error
		if c, hookID, err = n.cfg.ConnHook(nc, initiator); err != nil {
			return nil, hello{}, fmt.Errorf("conn hook: %w", err)
		}
	}
	if _, err := c.Write(encodeHello(hello{id: n.id, incarnation: n.inc})); err != nil {
		return c, hello{}, fmt.Errorf("send hello: %w", err)
	}
	h, payload, err := readFrame(c, helloMax)
	if err != nil {
		return c, hello{}, fmt.Errorf("read hello: %w", err)
	}
	hi, err := parseHello(h, payload)
	if err != nil {
		return c, hello{}, err
	}
	return c, hi, n.checkIdentity(hi.id, hookID, expect)
}

func (n *Net) checkIdentity(id, hookID, expect rt.NodeID) error {
	switch {
	case id == n.id:
		return fmt.Errorf("peer claims our own id %s", id)
	case n.cfg.ConnHook != nil && id != hookID:
		return fmt.Errorf("hello names %s but the hook authenticated %s", id, hookID)
	case expect != "" && id != expect:
		return fmt.Errorf("reached %s, wanted %s", id, expect)
	}
	return nil
}

// register adds an identified connection to its peer, starts its reader
// and writer, and, if this node decides for the pair, settles which
// connection is the pair's one.
func (n *Net) register(c *conn) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		c.nc.Close()
		return errClosed
	}
	p := n.peerLocked(c.peer)
	stale := n.dropStaleLocked(p, c.inc)
	p.conns[c] = struct{}{}
	n.wg.Add(2)
	go c.readLoop()
	go c.writeLoop()
	var retired *conn
	if n.id < c.peer {
		retired = n.decideLocked(p, c)
	}
	p.broadcast()
	n.mu.Unlock()
	for _, old := range stale {
		old.close(errPeerRestarted)
	}
	if retired != nil {
		retired.retire()
	}
	n.cfg.Log.Debug("connected", "peer", c.peer, "initiator", c.initiator)
	return nil
}

// dropStaleLocked detaches the peer's connections from an older
// incarnation and returns them for closing.
func (n *Net) dropStaleLocked(p *peer, inc uint64) []*conn {
	if p.inc == inc {
		return nil
	}
	p.inc = inc
	var stale []*conn
	for old := range p.conns {
		stale = append(stale, old)
		old.role = roleRetired
	}
	p.active = nil
	return stale
}

// decideLocked applies the decider's rule to a new connection c and returns
// the connection to retire, if any.
func (n *Net) decideLocked(p *peer, c *conn) *conn {
	if c.initiator && p.active != nil {
		c.role = roleRetired
		return c
	}
	old := p.active
	p.active, c.role = c, roleActive
	c.send(header{typ: ftAccept, prio: rt.PrioHigh}, nil)
	if old != nil {
		old.role = roleRetired
	}
	return old
}

// onAccept handles the decider's verdict on c.
func (n *Net) onAccept(c *conn) {
	n.mu.Lock()
	p := n.peers[c.peer]
	if n.id < c.peer || p == nil || c.role != rolePending {
		n.mu.Unlock()
		return
	}
	old := p.active
	p.active, c.role = c, roleActive
	if old != nil {
		old.role = roleRetired
	}
	p.broadcast()
	n.mu.Unlock()
	if old != nil {
		old.retire()
	}
}

// onGoAway handles the peer's promise to start no more calls on c.
func (n *Net) onGoAway(c *conn) {
	n.mu.Lock()
	if p := n.peers[c.peer]; p != nil {
		if p.active == c {
			p.active = nil
		}
		p.broadcast()
	}
	c.role = roleRetired
	n.mu.Unlock()
	c.mu.Lock()
	c.recvGA = true
	c.mu.Unlock()
	c.retire()
}

// dropConn removes a closed connection from its peer, and reports the
// peer lost (NetConfig.PeerClosed) if that was its last connection and it
// did not close by a drain or this Net's Close.
func (n *Net) dropConn(c *conn, err error) {
	n.mu.Lock()
	left := 0
	if p := n.peers[c.peer]; p != nil {
		delete(p.conns, c)
		if p.active == c {
			p.active = nil
		}
		p.broadcast()
		left = len(p.conns)
	}
	c.role = roleRetired
	lost := !n.closed && left == 0 && !errors.Is(err, errDrained)
	n.mu.Unlock()
	n.cfg.Log.Debug("connection closed", "peer", c.peer, "err", err)
	if lost && n.cfg.PeerClosed != nil {
		n.cfg.PeerClosed(c.peer, err)
	}
}
