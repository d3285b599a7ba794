package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// probeLoop probes one peer each PingInterval (±10 %), in a random
// permutation of the peers renewed every round, so that each peer is
// probed once per round; it also declares dead the suspects whose time is
// up.
func (c *Cluster) probeLoop(ctx context.Context) {
	for {
		if c.env.Clock.Sleep(ctx, c.jitter(c.cfg.PingInterval)) != nil {
			return
		}
		c.expireSuspects()
		if id, ok := c.nextProbe(); ok {
			c.spawn("cluster-probe", func(ctx context.Context) { c.probe(ctx, id) })
		}
	}
}

// gossipLoop sends pending rumors to GossipFanout random up peers each
// GossipInterval, so that news spread faster than pings alone carry them.
// With no rumor pending it sleeps until one comes.
func (c *Cluster) gossipLoop(ctx context.Context) {
	for {
		if c.waitRumors(ctx) != nil || c.env.Clock.Sleep(ctx, c.jitter(c.cfg.GossipInterval)) != nil {
			return
		}
		for _, id := range c.gossipTargets() {
			c.spawn("cluster-gossip", func(ctx context.Context) { _ = c.ping(ctx, id) })
		}
	}
}

// waitRumors returns once a rumor is pending, or with ctx's error.
func (c *Cluster) waitRumors(ctx context.Context) error {
	c.mu.Lock()
	if c.rumors.len() > 0 {
		c.mu.Unlock()
		return nil
	}
	ev := c.env.Tasks.NewEvent()
	c.rumorWait = ev
	c.mu.Unlock()
	return ev.Wait(ctx)
}

// spreadLocked queues rumor u and wakes the gossip loop.
func (c *Cluster) spreadLocked(u update) {
	c.rumors.add(u)
	if c.rumorWait != nil {
		c.rumorWait.Set()
		c.rumorWait = nil
	}
}

func (c *Cluster) gossipTargets() []rt.NodeID {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rumors.len() == 0 {
		return nil
	}
	return c.randomUpLocked(c.cfg.GossipFanout, "")
}

// jitter returns d plus or minus up to 10 %, from the node's random stream.
func (c *Cluster) jitter(d time.Duration) time.Duration {
	span := int(d / 5)
	if span <= 0 {
		return d
	}
	return d - d/10 + time.Duration(c.env.Rand.IntN(span+1))
}

// nextProbe returns the next peer of the probe round, starting a new
// round (a fresh random permutation of the peers) when one ends.
func (c *Cluster) nextProbe() (rt.NodeID, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range 2 {
		for c.next < len(c.order) {
			id := c.order[c.next]
			c.next++
			if c.peers[id] != nil {
				return id, true
			}
		}
		c.order, c.next = append(c.order[:0], c.ids...), 0
		for i := len(c.order) - 1; i > 0; i-- {
			j := c.env.Rand.IntN(i + 1)
			c.order[i], c.order[j] = c.order[j], c.order[i]
		}
	}
	return "", false
}

// probe pings id; if it does not answer and was up, asks IndirectChecks
// other peers to ping it; if none could, suspects it.
func (c *Cluster) probe(ctx context.Context, id rt.NodeID) {
	if c.ping(ctx, id) == nil || !c.isUp(id) || c.pingIndirect(ctx, id) {
		return
	}
	c.suspect(id)
}

// ping pings id once and takes in its ack, measuring the round trip.
func (c *Cluster) ping(ctx context.Context, id rt.NodeID) error {
	req := encode(c.msgFor(id))
	start := c.env.Clock.Mono()
	rep, err := c.env.Net.Call(ctx, id, EndpointPing, req,
		rt.CallOpts{Timeout: c.cfg.PingTimeout, Prio: rt.PrioHigh})
	if err != nil {
		return err
	}
	m, err := decode[swimMsg](rep)
	if err != nil {
		return err
	}
	c.hear(id, m, c.env.Clock.Mono()-start)
	return nil
}

// pingIndirect asks up to IndirectChecks random up peers to ping id and
// reports whether one of them got an answer.
func (c *Cluster) pingIndirect(ctx context.Context, id rt.NodeID) bool {
	c.mu.Lock()
	helpers := c.randomUpLocked(c.cfg.IndirectChecks, id)
	c.mu.Unlock()
	if len(helpers) == 0 {
		return false
	}
	reqs := make([][]byte, len(helpers))
	for i, h := range helpers {
		reqs[i] = encode(pingReq{Target: id, Msg: c.msgFor(h)})
	}
	opts := rt.CallOpts{Timeout: 2 * c.cfg.PingTimeout, Prio: rt.PrioHigh}
	res, err := rt.Quorum(ctx, c.env.Tasks, len(helpers), 1, func(ctx context.Context, i int) ([]byte, error) {
		return c.env.Net.Call(ctx, helpers[i], EndpointPingReq, reqs[i], opts)
	}, nil)
	if err != nil {
		return false
	}
	for _, r := range res {
		if m, err := decode[swimMsg](r.Val); r.Err == nil && err == nil {
			c.hear(helpers[r.Index], m, 0)
		}
	}
	return true
}

// suspect marks an alive peer suspected and spreads the suspicion.
func (c *Cluster) suspect(id rt.NodeID) {
	var fx effects
	c.mu.Lock()
	if p := c.peers[id]; p != nil && p.live.State == StateAlive {
		c.env.Log.Debug("peer suspected", "peer", id.Short(), "inc", p.live.Inc)
		c.declareLocked(p, StateSuspect, &fx)
	}
	c.mu.Unlock()
	c.after(fx)
}

// declareLocked sets p's state at its current incarnation, first-hand, and
// spreads it as a rumor.
func (c *Cluster) declareLocked(p *peer, s MemberState, fx *effects) {
	c.setLiveLocked(p, Liveness{Inc: p.live.Inc, State: s}, 0, fx)
	c.spreadLocked(update{ID: p.info.ID, Addr: p.info.Addr, Live: p.live})
}

// expireSuspects declares dead the suspects that did not refute within
// SuspicionTimeout.
func (c *Cluster) expireSuspects() {
	var fx effects
	c.mu.Lock()
	now := c.env.Clock.Mono()
	timeout := SuspicionTimeout(c.cfg.FailAfter, c.cfg.PingInterval, len(c.peers)+1)
	for _, id := range sortedKeys(c.suspects) {
		if p := c.peers[id]; now-p.since >= timeout {
			c.declareLocked(p, StateDead, &fx)
		}
	}
	c.mu.Unlock()
	c.after(fx)
}

// isUp reports whether this node counts id as up.
func (c *Cluster) isUp(id rt.NodeID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.isUpLocked(id)
}

func (c *Cluster) isUpLocked(id rt.NodeID) bool {
	if id == c.self {
		return true
	}
	p := c.peers[id]
	return p != nil && p.up()
}

func (c *Cluster) handlePing(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
	m, err := decode[swimMsg](req)
	if err != nil {
		return nil, err
	}
	c.hear(from, m, 0)
	return encode(c.msgFor(from)), nil
}

// handlePingReq pings the target on the sender's behalf: the reply is
// this node's ack if the target answered, an error otherwise.
func (c *Cluster) handlePingReq(ctx context.Context, from rt.NodeID, req []byte) ([]byte, error) {
	m, err := decode[pingReq](req)
	if err != nil {
		return nil, err
	}
	c.hear(from, m.Msg, 0)
	if err := c.ping(ctx, m.Target); err != nil {
		return nil, fmt.Errorf("ping %s: %w", m.Target.Short(), err)
	}
	return encode(c.msgFor(from)), nil
}

// PeerDown tells the membership that this node's connection to id just
// closed (a killed process, a reset link): id is probed at once rather
// than at its turn of the probe round, so that a dead peer is suspected
// within a ping timeout and declared down when its suspicion expires. A
// peer that is still alive answers the probe and stays up. It is safe to
// call from outside the node's tasks (the real driver's connection
// goroutines).
func (c *Cluster) PeerDown(id rt.NodeID) {
	if id == c.self || !c.known(id) {
		return
	}
	c.spawn("cluster-probe-closed", func(ctx context.Context) { c.probe(ctx, id) })
}

func (c *Cluster) known(id rt.NodeID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peers[id] != nil
}
