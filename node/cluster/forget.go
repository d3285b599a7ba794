package cluster

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Errors of Forget.
var (
	// ErrInLayout refuses to forget a node that a live layout version names.
	ErrInLayout = errors.New("node is in a live layout version")
	// ErrPeerUp refuses to forget a node that is up.
	ErrPeerUp = errors.New("node is up")
	// ErrUnknownPeer is a node that is not a peer.
	ErrUnknownPeer = errors.New("unknown peer")
)

// tomb remembers a forgotten node for a while, so that records of it still
// gossiped by peers that have not forgotten it yet do not bring it back:
// only the node itself, the operator, or news of it alive at a newer
// incarnation do. The status exchange spreads it as a record of the node
// in state left, so that the peers forget it too.
type tomb struct {
	inc   uint64
	until time.Duration // Clock.Mono
}

func (t tomb) live() Liveness { return Liveness{Inc: t.inc, State: StateLeft} }

// Forget removes peer id from this node's peers and persisted state, and
// spreads its departure so that the other nodes forget it too (the admin's
// "node forget"). It refuses this node, a node named by a live layout
// version (ErrInLayout: remove it from the layout first) and a node that
// is up (ErrPeerUp); ErrUnknownPeer if id is not a peer. A forgotten node
// that comes back (it sends a message, or is connected by hand) is a peer
// again.
func (c *Cluster) Forget(id rt.NodeID) error {
	var fx effects
	c.mu.Lock()
	err := c.forgetByHandLocked(id, &fx)
	c.mu.Unlock()
	c.after(fx)
	if err != nil {
		return fmt.Errorf("forget %s: %w", id, err)
	}
	return nil
}

func (c *Cluster) forgetByHandLocked(id rt.NodeID, fx *effects) error {
	p := c.peers[id]
	switch {
	case id == c.self:
		return errors.New("cannot forget this node")
	case c.inLiveLayoutLocked(id):
		return ErrInLayout
	case p == nil:
		return ErrUnknownPeer
	case p.up():
		return ErrPeerUp
	}
	left := Liveness{Inc: max(p.live.Inc, 1), State: StateLeft}
	c.forgetLocked(id, left.Inc, fx)
	c.spreadLocked(update{ID: id, Live: left})
	return nil
}

// forgetExpired forgets the peers that no live layout version names and
// that have not been up for ForgetAfter, and drops expired tombs.
func (c *Cluster) forgetExpired() {
	var fx effects
	c.mu.Lock()
	now := c.env.Clock.Mono()
	var gone []rt.NodeID
	for _, id := range c.idsDownLocked() {
		if p := c.peers[id]; now-p.since >= c.cfg.ForgetAfter && !c.inLiveLayoutLocked(id) {
			gone = append(gone, id)
		}
	}
	for _, id := range gone {
		c.env.Log.Info("forgetting peer", "peer", id.Short(), "state", c.peers[id].live.State)
		c.forgetLocked(id, c.peers[id].live.Inc, &fx)
	}
	for _, id := range sortedKeys(c.tombs) {
		if now >= c.tombs[id].until {
			delete(c.tombs, id)
			c.sumOK = false
		}
	}
	c.mu.Unlock()
	c.after(fx)
}

// idsDownLocked returns the peers not up, sorted; none without a scan
// when every peer is up.
func (c *Cluster) idsDownLocked() []rt.NodeID {
	if c.nUp == len(c.ids) {
		return nil
	}
	var out []rt.NodeID
	for _, id := range c.ids {
		if !c.peers[id].up() {
			out = append(out, id)
		}
	}
	return out
}

// forgetLocked removes peer id and keeps a tomb for ForgetAfter.
func (c *Cluster) forgetLocked(id rt.NodeID, inc uint64, fx *effects) {
	c.removePeerLocked(id)
	c.tombLocked(id, inc)
	fx.persist = true
}

func (c *Cluster) tombLocked(id rt.NodeID, inc uint64) {
	t := c.tombs[id]
	c.tombs[id] = tomb{inc: max(t.inc, inc), until: c.env.Clock.Mono() + c.cfg.ForgetAfter}
	c.sumOK = false
}

// untombLocked reports whether belief u about a node may be taken in: the
// node is not forgotten, or u comes from the node itself or the operator,
// or it says the node is alive at a newer incarnation than when it was
// forgotten (then the tomb goes).
func (c *Cluster) untombLocked(u update, src source) bool {
	t, ok := c.tombs[u.ID]
	if !ok {
		return true
	}
	if src == fromPeer || src == fromAdmin || (u.Live.State == StateAlive && u.Live.Inc > t.inc) {
		delete(c.tombs, u.ID)
		c.sumOK = false
		return true
	}
	return false
}

// inLiveLayoutLocked reports whether a live layout version names id.
func (c *Cluster) inLiveLayoutLocked(id rt.NodeID) bool { return containsID(c.hist.AllNodes(), id) }

// containsID reports whether sorted ids holds id.
func containsID(ids []rt.NodeID, id rt.NodeID) bool {
	_, ok := slices.BinarySearch(ids, id)
	return ok
}
