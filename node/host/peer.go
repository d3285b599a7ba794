package host

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// peer is what a Net knows of another node. All fields are guarded by
// Net.mu.
type peer struct {
	id       rt.NodeID
	addr     string // "" when only known from an inbound connection
	active   *conn  // the pair's connection, nil if none yet
	conns    map[*conn]struct{}
	dialing  bool
	backoff  time.Duration
	nextDial time.Time // no dial before this (after failures)
	lastErr  error
	inc      uint64        // the peer's incarnation as last seen
	changed  chan struct{} // closed and replaced on every change
}

func (p *peer) broadcast() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// awaitingVerdict reports whether a connection waits for the decider.
func (p *peer) awaitingVerdict() bool {
	for c := range p.conns {
		if c.role == rolePending {
			return true
		}
	}
	return false
}

// peerLocked returns the entry for id, creating it. n.mu must be held.
func (n *Net) peerLocked(id rt.NodeID) *peer {
	p := n.peers[id]
	if p == nil {
		p = &peer{id: id, conns: map[*conn]struct{}{}, changed: make(chan struct{})}
		n.peers[id] = p
	}
	return p
}

// AddPeer records (or updates) the address at which node id accepts
// connections. Nothing is dialled until the first call.
func (n *Net) AddPeer(id rt.NodeID, addr string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.peerLocked(id)
	if p.addr != addr {
		p.addr, p.backoff, p.nextDial = addr, 0, time.Time{}
	}
}

// connFor returns the active connection to node to, dialling if needed and
// waiting for the connection to be settled. It fails fast while a redial
// backoff runs.
func (n *Net) connFor(ctx context.Context, to rt.NodeID) (*conn, error) {
	for waited := false; ; waited = true {
		n.mu.Lock()
		c, wait, err := n.connOrDialLocked(to, waited)
		n.mu.Unlock()
		if c != nil || err != nil {
			return c, err
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, errCallDone
		case <-n.ctx.Done():
			return nil, errClosed
		}
	}
}

// connOrDialLocked returns the active connection, or a channel to wait on
// (after starting a dial if none is under way), or an error. A caller that
// waited through a failed dial gets that dial's error.
func (n *Net) connOrDialLocked(to rt.NodeID, waited bool) (*conn, chan struct{}, error) {
	if n.closed {
		return nil, nil, errClosed
	}
	p := n.peers[to]
	if p == nil {
		return nil, nil, fmt.Errorf("unknown peer: %w", rt.ErrUnreachable)
	}
	if p.active != nil {
		return p.active, nil, nil
	}
	if p.dialing || p.awaitingVerdict() {
		return nil, p.changed, nil
	}
	if p.addr == "" {
		return nil, nil, fmt.Errorf("no address for peer: %w", rt.ErrUnreachable)
	}
	if time.Now().Before(p.nextDial) {
		if waited {
			return nil, nil, fmt.Errorf("%v: %w", p.lastErr, rt.ErrUnreachable)
		}
		return nil, nil, fmt.Errorf("redial backoff after %v: %w", p.lastErr, rt.ErrUnreachable)
	}
	p.dialing = true
	n.wg.Add(1)
	go n.dial(p.id, p.addr)
	return nil, p.changed, nil
}

// dial connects to a peer, then records the outcome for waiting callers.
func (n *Net) dial(id rt.NodeID, addr string) {
	defer n.wg.Done()
	d := net.Dialer{Timeout: n.cfg.DialTimeout, KeepAlive: 15 * time.Second}
	nc, err := d.DialContext(n.ctx, "tcp", addr)
	var c *conn
	if err == nil {
		c, err = n.handshake(nc, true, id)
	}
	if err == nil {
		err = n.register(c)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.peerLocked(id)
	p.dialing = false
	if err != nil {
		if errors.Is(err, errHandshake) && (p.lastErr == nil || !errors.Is(p.lastErr, errHandshake)) {
			n.cfg.Log.Warn("cannot connect to peer: handshake refused (is rpc_secret the same on both nodes?)",
				"peer", id.Short(), "addr", addr, "err", err)
		}
		p.lastErr = err
		p.backoff = min(max(2*p.backoff, n.cfg.RedialMin), n.cfg.RedialMax)
		jitter := time.Duration(n.rand.Float64() * float64(p.backoff) / 4)
		p.nextDial = time.Now().Add(p.backoff + jitter)
		n.cfg.Log.Debug("dial failed", "peer", id, "addr", addr, "err", err)
	} else {
		p.backoff, p.lastErr = 0, nil
	}
	p.broadcast()
}

// acceptLoop accepts inbound connections until the listener closes.
func (n *Net) acceptLoop() {
	defer n.wg.Done()
	for {
		nc, err := n.ln.Accept()
		if err != nil {
			if n.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			n.cfg.Log.Warn("accept", "err", err)
			time.Sleep(10 * time.Millisecond) // e.g. out of file descriptors
			continue
		}
		if !n.goTracked(func() { n.inbound(nc) }) {
			nc.Close()
		}
	}
}

func (n *Net) inbound(nc net.Conn) {
	c, err := n.handshake(nc, false, "")
	if err == nil {
		err = n.register(c)
	}
	switch {
	case errors.Is(err, errHandshake) && n.ctx.Err() == nil:
		n.cfg.Log.Warn("rejected a connection: handshake failed (a node or client with another rpc_secret?)",
			"remote", nc.RemoteAddr().String(), "err", err)
	case err != nil:
		n.cfg.Log.Debug("inbound connection refused", "remote", nc.RemoteAddr(), "err", err)
	}
}

// trackRaw records a connection in its handshake so Close can abort it.
func (n *Net) trackRaw(nc net.Conn, add bool) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !add {
		delete(n.raw, nc)
		return true
	}
	if n.closed {
		return false
	}
	n.raw[nc] = struct{}{}
	return true
}
