package cluster

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// pingLoop pings every known peer each PingInterval (±10 %).
func (c *Cluster) pingLoop(ctx context.Context) {
	for {
		for _, id := range c.peerIDs() {
			c.spawn("cluster-ping", func(ctx context.Context) { c.ping(ctx, id) })
		}
		if c.env.Clock.Sleep(ctx, c.jitter(c.cfg.PingInterval)) != nil {
			return
		}
	}
}

// statusLoop exchanges status with every up peer each StatusInterval.
func (c *Cluster) statusLoop(ctx context.Context) {
	for {
		if c.env.Clock.Sleep(ctx, c.jitter(c.cfg.StatusInterval)) != nil {
			return
		}
		for _, id := range c.upPeers() {
			c.spawn("cluster-status", func(ctx context.Context) { c.exchange(ctx, id) })
		}
	}
}

// jitter returns d plus or minus up to 10 %, from the node's random stream.
func (c *Cluster) jitter(d time.Duration) time.Duration {
	span := int(d / 5)
	if span <= 0 {
		return d
	}
	return d - d/10 + time.Duration(c.env.Rand.IntN(span+1))
}

// ping pings id once and records the outcome; a peer that comes up gets a
// status exchange at once.
func (c *Cluster) ping(ctx context.Context, id rt.NodeID) error {
	start := c.env.Clock.Mono()
	_, err := c.env.Net.Call(ctx, id, EndpointPing, nil,
		rt.CallOpts{Timeout: c.cfg.PingTimeout, Prio: rt.PrioHigh})
	now := c.env.Clock.Mono()
	c.mu.Lock()
	p := c.peers[id]
	var cameUp, wentDown bool
	switch {
	case p == nil:
	case err == nil:
		cameUp = p.onPingOK(now, now-start)
	default:
		wentDown = p.onPingFail(c.cfg.FailAfter)
	}
	c.mu.Unlock()
	if cameUp {
		c.env.Log.Info("peer up", "peer", id.Short(), "rtt", now-start)
		c.spawn("cluster-status", func(ctx context.Context) { c.exchange(ctx, id) })
	}
	if wentDown {
		c.env.Log.Info("peer down", "peer", id.Short(), "err", err)
	}
	return err
}

func (c *Cluster) handlePing(context.Context, rt.NodeID, []byte) ([]byte, error) {
	return nil, nil
}

// exchange sends this node's status to id and learns id's (and id's
// peers, if their digests differ), then reconciles layouts if the layout
// digests differ.
func (c *Cluster) exchange(ctx context.Context, id rt.NodeID) {
	req, _ := c.statusMsg()
	rep, err := c.env.Net.Call(ctx, id, EndpointStatus, encodeStatus(req),
		rt.CallOpts{Timeout: c.cfg.RPCTimeout, Prio: rt.PrioHigh})
	if err != nil {
		c.env.Log.Debug("status exchange failed", "peer", id.Short(), "err", err)
		return
	}
	m, err := decodeStatus(rep)
	if err != nil {
		c.env.Log.Warn("bad status reply", "peer", id.Short(), "err", err)
		return
	}
	c.learnStatus(id, m)
	if m.Status.LayoutDigest != c.Digest() {
		c.reconcile(ctx, id)
	}
}

func (c *Cluster) handleStatus(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
	m, err := decodeStatus(req)
	if err != nil {
		return nil, err
	}
	c.learnStatus(from, m)
	rep, peers := c.statusMsg()
	if m.PeersDigest != rep.PeersDigest {
		rep.Peers = peers
	}
	return encodeStatus(rep), nil
}

// statusMsg returns this node's status with the digest of its peer list,
// and the list (this node included), sorted by id.
func (c *Cluster) statusMsg() (statusMsg, []PeerInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.selfStatusLocked()
	ps := []PeerInfo{{ID: c.self, Addr: st.Addr}}
	for _, id := range sortedKeys(c.peers) {
		ps = append(ps, c.peers[id].info)
	}
	slices.SortFunc(ps, func(a, b PeerInfo) int { return cmp.Compare(a.ID, b.ID) })
	return statusMsg{Status: st, PeersDigest: peersDigest(ps)}, ps
}

func (c *Cluster) selfStatusLocked() NodeStatus {
	st := NodeStatus{ID: c.self, Addr: c.cfg.Addr, Hostname: c.cfg.Hostname,
		LayoutVersion: c.hist.Current().Number, LayoutDigest: c.digest, Space: c.space}
	if r, ok := c.hist.Current().Role(c.self); ok {
		st.Role = &r
	}
	return st
}

// learnStatus records from's status and learns the peers it knows. The
// sender's own address comes from its status; third-party addresses only
// fill in addresses this node lacks.
func (c *Cluster) learnStatus(from rt.NodeID, m statusMsg) {
	m.Status.ID = from
	ps := append([]PeerInfo{{ID: from, Addr: m.Status.Addr}}, m.Peers...)
	if _, err := c.learn(ps, true); err != nil {
		c.env.Log.Warn("learning peers failed", "err", err)
	}
	c.mu.Lock()
	if p := c.peers[from]; p != nil {
		p.status, p.hasStatus = m.Status, true
	}
	c.mu.Unlock()
}

// learn adds the peers not yet known and their addresses, persists the
// list if it changed, tells the address book, and pings new peers. With
// firstHand, ps[0] is the sender of a status (its address is
// authoritative) and the rest are hearsay; otherwise every address is
// authoritative. It returns the new peers.
func (c *Cluster) learn(ps []PeerInfo, firstHand bool) ([]rt.NodeID, error) {
	c.mu.Lock()
	var added []rt.NodeID
	var addrs []PeerInfo
	for i, pi := range ps {
		if pi.ID == c.self || pi.ID == "" {
			continue
		}
		p := c.peers[pi.ID]
		if p == nil {
			p = &peer{info: PeerInfo{ID: pi.ID}}
			c.peers[pi.ID] = p
			added = append(added, pi.ID)
		}
		if takeAddr(p.info.Addr, pi.Addr, !firstHand || i == 0) {
			p.info.Addr = pi.Addr
			addrs = append(addrs, pi)
		}
	}
	var err error
	if len(added) > 0 || len(addrs) > 0 {
		err = c.savePeersLocked()
	}
	c.mu.Unlock()
	for _, pi := range addrs {
		c.tellAddrBook(pi)
	}
	for _, id := range added {
		c.spawn("cluster-ping", func(ctx context.Context) { c.ping(ctx, id) })
	}
	return added, err
}

// takeAddr reports whether a peer's address cur is replaced by heard:
// always when the source is authoritative (the peer itself, the operator),
// otherwise only to fill in a missing address.
func takeAddr(cur, heard string, authoritative bool) bool {
	if heard == "" || heard == cur {
		return false
	}
	return authoritative || cur == ""
}

// Connect adds peer id at addr (persisted) and pings it, returning the
// ping's error: the admin's "node connect".
func (c *Cluster) Connect(ctx context.Context, id rt.NodeID, addr string) error {
	if _, err := c.learn([]PeerInfo{{ID: id, Addr: addr}}, false); err != nil {
		return err
	}
	return c.ping(ctx, id)
}

// peerIDs returns the ids of every known peer, sorted.
func (c *Cluster) peerIDs() []rt.NodeID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return sortedKeys(c.peers)
}

// upPeers returns the ids of the peers currently up, sorted.
func (c *Cluster) upPeers() []rt.NodeID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.upPeersLocked()
}

// upPeerCount returns how many peers are up.
func (c *Cluster) upPeerCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.upPeerCountLocked()
}

func (c *Cluster) upPeerCountLocked() int {
	n := 0
	for _, p := range c.peers {
		if p.up {
			n++
		}
	}
	return n
}

func (c *Cluster) upPeersLocked() []rt.NodeID {
	var out []rt.NodeID
	for _, id := range sortedKeys(c.peers) {
		if c.peers[id].up {
			out = append(out, id)
		}
	}
	return out
}
