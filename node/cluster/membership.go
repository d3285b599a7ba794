package cluster

import (
	"context"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// source says where a belief about a node comes from.
type source uint8

const (
	fromPeer  source = iota // a message of the node itself: it vouches for itself
	fromRumor               // a rumor piggybacked by a peer
	fromSync                // a record pulled or pushed by a status exchange
	fromAdmin               // bootstrap list, persisted list, Connect: an address only
)

// effects collects what changes made under the mutex ask for once it is
// released: nothing here blocks while the mutex is held.
type effects struct {
	addrs      []PeerInfo // addresses to tell the address book
	persist    bool       // the peer list changed
	refuted    bool       // this node's incarnation rose
	firstUp    rt.NodeID  // a peer came up while no other was: exchange status with it
	layoutFrom rt.NodeID  // a peer whose layout digest differs from this node's
	layoutOf   Digest     // that peer's digest
}

// after carries out fx.
func (c *Cluster) after(fx effects) {
	for _, pi := range fx.addrs {
		c.tellAddrBook(pi)
	}
	if fx.persist {
		c.savePeers()
	}
	if fx.refuted {
		_ = c.saveIncarnation() // logged; the next refutation or boot retries
	}
	if id := fx.firstUp; id != "" {
		c.spawn("cluster-status", func(ctx context.Context) { c.exchange(ctx, id) })
	}
	if fx.layoutFrom != "" {
		c.maybeReconcile(fx.layoutFrom, fx.layoutOf)
	}
}

// hear takes in a membership message from a peer: the peer vouches for
// itself at its incarnation, its belief about this node may call for a
// refutation, its rumors are merged, and a differing layout digest starts
// a reconciliation. rtt is the round trip of the ping it answers (0: none).
func (c *Cluster) hear(from rt.NodeID, m swimMsg, rtt time.Duration) {
	var fx effects
	c.mu.Lock()
	self := update{ID: from, Addr: m.Addr, Live: Liveness{Inc: m.Inc, State: StateAlive}}
	c.observeLocked(self, fromPeer, 0, &fx)
	if p := c.peers[from]; p != nil {
		p.lastSeen = c.env.Clock.Mono()
		if rtt > 0 {
			p.rtt = ewma(p.rtt, rtt)
		}
	}
	if m.You != nil {
		c.refuteLocked(*m.You, &fx)
	}
	for _, u := range m.Updates {
		c.observeLocked(u, fromRumor, 0, &fx)
	}
	if m.Layout != (Digest{}) && m.Layout != c.digest {
		fx.layoutFrom, fx.layoutOf = from, m.Layout
	}
	c.mu.Unlock()
	c.after(fx)
}

// msgFor returns the header of a message to peer to, with this node's
// belief about it and, if to is up, the rumors it piggybacks (each
// counted as sent once more).
func (c *Cluster) msgFor(to rt.NodeID) swimMsg {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := swimMsg{Inc: c.inc, Addr: c.cfg.Addr, Layout: c.digest}
	p := c.peers[to]
	if p == nil || p.live.State == StateUnknown {
		return m
	}
	l := p.live
	m.You = &l
	if p.up() { // to a peer not up, the rumors would likely be lost
		m.Updates = c.rumors.take(MaxPiggyback, RetransmitLimit(RetransmitMult, len(c.peers)+1))
	}
	return m
}

// observeLocked merges belief u about a node, heard from src. downFor is
// how long the source has believed a node not up to be so. A changed
// belief heard first-hand or as a rumor about a node already known is
// spread on as a rumor; joins and status-exchange records are not (the
// status exchange spreads them).
func (c *Cluster) observeLocked(u update, src source, downFor time.Duration, fx *effects) {
	switch {
	case u.ID == c.self:
		c.refuteLocked(u.Live, fx)
		return
	case u.ID == "" || !c.untombLocked(u, src):
		return
	}
	p := c.peers[u.ID]
	if p == nil {
		if u.Live.State == StateLeft {
			c.tombLocked(u.ID, u.Live.Inc)
			return
		}
		p = c.addPeerLocked(u.ID, fx)
	}
	c.setAddrLocked(p, u.Addr, src == fromPeer || src == fromAdmin, fx)
	if !u.Live.Supersedes(p.live) {
		return
	}
	old := p.live.State
	c.setLiveLocked(p, u.Live, downFor, fx)
	if u.Live.State == StateLeft && !c.inLiveLayoutLocked(u.ID) {
		c.forgetLocked(u.ID, u.Live.Inc, fx)
	}
	if src != fromSync && old != StateUnknown {
		c.spreadLocked(update{ID: u.ID, Addr: p.info.Addr, Live: u.Live})
	}
}

// setLiveLocked sets this node's belief about p, keeping the count of up
// peers and the suspects, and logs the peer going up or down.
func (c *Cluster) setLiveLocked(p *peer, l Liveness, downFor time.Duration, fx *effects) {
	wasUp, old := p.up(), p.live.State
	p.live = l
	c.sumOK = false
	if old != l.State {
		p.since = c.env.Clock.Mono() - max(0, downFor)
	}
	if l.State == StateSuspect {
		c.suspects[p.info.ID] = true
	} else {
		delete(c.suspects, p.info.ID)
	}
	switch {
	case !wasUp && p.up():
		c.nUp++
		if c.nUp == 1 {
			fx.firstUp = p.info.ID
		}
		c.logUp(p, old)
	case wasUp && !p.up():
		c.nUp--
		c.env.Log.Info("peer down", "peer", p.info.ID.Short(), "state", l.State, "inc", l.Inc)
	}
}

func (c *Cluster) logUp(p *peer, old MemberState) {
	if old == StateUnknown {
		c.env.Log.Debug("peer joined", "peer", p.info.ID.Short(), "inc", p.live.Inc)
		return
	}
	c.env.Log.Info("peer up", "peer", p.info.ID.Short(), "inc", p.live.Inc)
}

// refuteLocked raises this node's incarnation if belief l about it (a
// suspicion, death or departure) must be refuted, and spreads the news.
func (c *Cluster) refuteLocked(l Liveness, fx *effects) {
	inc, ok := Refutes(l, c.inc)
	if !ok {
		return
	}
	c.env.Log.Info("refuting", "belief", l.State, "inc", l.Inc, "new_inc", inc)
	c.inc, fx.refuted, c.sumOK = inc, true, false
	c.spreadLocked(update{ID: c.self, Addr: c.cfg.Addr, Live: c.selfLive()})
}

// addPeerLocked adds a peer nobody vouched for yet, and puts it at a
// random place among the peers still to probe this round.
func (c *Cluster) addPeerLocked(id rt.NodeID, fx *effects) *peer {
	p := &peer{info: PeerInfo{ID: id}, since: c.env.Clock.Mono()}
	c.peers[id] = p
	c.sumOK = false
	i, _ := slices.BinarySearch(c.ids, id)
	c.ids = slices.Insert(c.ids, i, id)
	c.order = append(c.order, id)
	j := c.next + c.env.Rand.IntN(len(c.order)-c.next)
	c.order[j], c.order[len(c.order)-1] = c.order[len(c.order)-1], c.order[j]
	fx.persist = true
	return p
}

// removePeerLocked drops a peer and everything kept about it.
func (c *Cluster) removePeerLocked(id rt.NodeID) {
	p := c.peers[id]
	if p == nil {
		return
	}
	if p.up() {
		c.nUp--
	}
	delete(c.peers, id)
	c.sumOK = false
	delete(c.suspects, id)
	delete(c.pushes, id)
	c.rumors.drop(id)
	if i, ok := slices.BinarySearch(c.ids, id); ok {
		c.ids = slices.Delete(c.ids, i, i+1)
	}
}

// setAddrLocked records p's address heard from a source, authoritative or
// not (see takeAddr).
func (c *Cluster) setAddrLocked(p *peer, addr string, authoritative bool, fx *effects) {
	if takeAddr(p.info.Addr, addr, authoritative) {
		p.info.Addr = addr
		fx.addrs = append(fx.addrs, p.info)
		fx.persist = true
	}
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

// learn adds peers known by address (bootstrap, persisted, Connect); their
// addresses are authoritative.
func (c *Cluster) learn(ps []PeerInfo) {
	var fx effects
	c.mu.Lock()
	for _, pi := range ps {
		c.observeLocked(update{ID: pi.ID, Addr: pi.Addr}, fromAdmin, 0, &fx)
	}
	c.mu.Unlock()
	c.after(fx)
}

// Connect adds peer id at addr (persisted) and pings it, returning the
// ping's error: the admin's "node connect".
func (c *Cluster) Connect(ctx context.Context, id rt.NodeID, addr string) error {
	c.learn([]PeerInfo{{ID: id, Addr: addr}})
	return c.ping(ctx, id)
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
	return c.nUp
}

func (c *Cluster) upPeersLocked() []rt.NodeID {
	out := make([]rt.NodeID, 0, c.nUp)
	for _, id := range c.ids {
		if c.peers[id].up() {
			out = append(out, id)
		}
	}
	return out
}

// randomUpLocked returns up to k distinct up peers other than exclude,
// chosen at random: by rejection sampling while most peers are up, else
// from the full list.
func (c *Cluster) randomUpLocked(k int, exclude rt.NodeID) []rt.NodeID {
	var out []rt.NodeID
	if len(c.ids) > 0 && 2*c.nUp >= len(c.ids) {
		for try := 0; len(out) < k && try < 4*k+8; try++ {
			id := c.ids[c.env.Rand.IntN(len(c.ids))]
			if id != exclude && c.peers[id].up() && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		if len(out) == k {
			return out
		}
	}
	var pool []rt.NodeID
	for _, id := range c.upPeersLocked() {
		if id != exclude && !slices.Contains(out, id) {
			pool = append(pool, id)
		}
	}
	for len(out) < k && len(pool) > 0 {
		i := c.env.Rand.IntN(len(pool))
		out = append(out, pool[i])
		pool[i] = pool[len(pool)-1]
		pool = pool[:len(pool)-1]
	}
	return out
}
