package cluster

import (
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
)

// History returns a copy of this node's layout history.
func (c *Cluster) History() *layout.History { return c.layoutSnapshot().Clone() }

// ReplicationFactor returns the replication factor of the current layout
// version.
func (c *Cluster) ReplicationFactor() int { return c.layoutSnapshot().Current().Params.Replication }

// LayoutState returns the current layout version and the number of live
// versions (more than one during a transition), without copying the
// history.
func (c *Cluster) LayoutState() (current uint64, live int) {
	h := c.layoutSnapshot()
	return h.Current().Number, len(h.Versions)
}

// UpPeers returns how many peers this node sees up (itself excluded).
func (c *Cluster) UpPeers() int { return c.upPeerCount() }

// Digest returns the digest of this node's layout history.
func (c *Cluster) Digest() Digest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.digest
}

// SetSpace sets the free space this node reports from now on.
func (c *Cluster) SetSpace(s Space) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.space = s
}

// StageRole stages role r for node id ("layout assign").
func (c *Cluster) StageRole(id rt.NodeID, r layout.Role) error {
	return c.stage(func(h *layout.History, ts layout.Timestamp) error {
		return h.Assign(id, r, ts)
	})
}

// StageRemove stages the removal of node id ("layout remove").
func (c *Cluster) StageRemove(id rt.NodeID) error {
	return c.stage(func(h *layout.History, ts layout.Timestamp) error {
		return h.Remove(id, ts)
	})
}

// StageRedundancy stages zone redundancy z ("layout config -r").
func (c *Cluster) StageRedundancy(z layout.ZoneRedundancy) error {
	return c.stage(func(h *layout.History, ts layout.Timestamp) error {
		return h.SetRedundancy(z, ts)
	})
}

// Revert discards the staged changes ("layout revert").
func (c *Cluster) Revert() error {
	return c.stage(func(h *layout.History, ts layout.Timestamp) error {
		h.Revert(ts)
		return nil
	})
}

// stage runs a staging change stamped after the wall clock and after every
// stamp already staged, and pushes it to every up peer (as Garage does:
// an operator may look at the staged layout through any node).
func (c *Cluster) stage(fn func(*layout.History, layout.Timestamp) error) error {
	now := layout.Timestamp(c.env.Clock.Now().UnixMilli())
	err := c.changeLayout(func(h *layout.History) (bool, error) {
		err := fn(h, NextStamp(now, h.Staging))
		return err == nil, err
	}, true)
	if err != nil {
		return fmt.Errorf("stage layout change: %w", err)
	}
	return nil
}

// NextStamp returns the stamp of a new staging change: max(now, newest
// stamp in s + 1), so that a change made after another wins even when the
// wall clocks of the nodes disagree.
func NextStamp(now layout.Timestamp, s layout.Staging) layout.Timestamp {
	newest := max(s.Stamp, s.Redundancy.Stamp)
	for _, r := range s.Roles {
		newest = max(newest, r.Stamp)
	}
	return max(now, newest+1)
}

// Apply turns the staged changes into version n, which must be the current
// version + 1 (layout.ErrWrongVersion otherwise), and pushes it to every
// up peer.
func (c *Cluster) Apply(n uint64) (layout.Summary, error) {
	if err := rt.Fail(c.env.Faults, fail.LayoutApply); err != nil {
		return layout.Summary{}, fmt.Errorf("apply layout: %w", err)
	}
	now := layout.Timestamp(c.env.Clock.Now().UnixMilli())
	var sum layout.Summary
	err := c.changeLayout(func(h *layout.History) (bool, error) {
		var err error
		sum, err = h.Apply(n, NextStamp(now, h.Staging))
		return err == nil, err
	}, true)
	if err != nil {
		return layout.Summary{}, fmt.Errorf("apply layout: %w", err)
	}
	return sum, nil
}

// SkipDeadNodes lets the transition to version v proceed without the nodes
// of the layout that are down now ("layout skip-dead-nodes"); see
// layout.History.SkipDeadNodes. It returns the nodes skipped.
func (c *Cluster) SkipDeadNodes(v uint64, allowMissingData bool) ([]rt.NodeID, error) {
	var dead []rt.NodeID
	err := c.changeLayout(func(h *layout.History) (bool, error) {
		dead = c.deadAmong(h.AllNodes())
		ids := make([]layout.NodeID, len(dead))
		for i, id := range dead {
			ids[i] = id
		}
		return h.SkipDeadNodes(v, ids, allowMissingData)
	}, true)
	if err != nil {
		return nil, fmt.Errorf("skip dead nodes: %w", err)
	}
	return dead, nil
}

// deadAmong returns the nodes of ids that are not up. It is called with
// c.mu held.
func (c *Cluster) deadAmong(ids []layout.NodeID) []rt.NodeID {
	var dead []rt.NodeID
	for _, id := range ids {
		if !c.isUpLocked(id) {
			dead = append(dead, id)
		}
	}
	return dead
}

// IsUp reports whether node id is this node or a peer believed up (alive
// or suspect).
func (c *Cluster) IsUp(id rt.NodeID) bool { return c.isUp(id) }

// SyncTarget returns the layout version this node should sync its tables
// to and whether syncing may start (every node acked it).
func (c *Cluster) SyncTarget() (uint64, bool) { return c.layoutSnapshot().SyncTarget() }

// SyncDone records that this node's tables hold all the data layout
// version v assigns it (the table layer calls it when anti-entropy for v
// completed). Versions newer than the current one are ignored.
func (c *Cluster) SyncDone(v uint64) {
	if c.syncedLocally(v) {
		return
	}
	err := c.changeLayout(func(h *layout.History) (bool, error) {
		return h.Synced(c.self, min(v, h.Current().Number)), nil
	}, false)
	if err != nil {
		c.env.Log.Warn("sync done", "version", v, "err", err)
	}
}

// syncedLocally reports whether this node's sync tracker already holds
// version v (or the current version, if v is newer): then SyncDone has
// nothing to record. The block manager reports its sync every second, and
// copying and encoding the history for nothing is most of what that costs.
func (c *Cluster) syncedLocally(v uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	have, ok := c.hist.Trackers.Sync.Get(c.self)
	return ok && have >= min(v, c.hist.Current().Number)
}

// Status returns every node known as a peer or named by a live layout
// version, sorted by id, this node included.
func (c *Cluster) Status() []NodeInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	byID := map[rt.NodeID]NodeInfo{c.self: c.selfInfoLocked()}
	for _, id := range c.ids {
		byID[id] = c.peers[id].nodeInfo()
	}
	for _, id := range c.hist.AllNodes() {
		if _, ok := byID[id]; !ok {
			byID[id] = NodeInfo{ID: id}
		}
	}
	now := c.env.Clock.Mono()
	out := make([]NodeInfo, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		n := c.withRoleLocked(byID[id])
		if n.LastSeen > 0 {
			n.Ago = now - n.LastSeen
		}
		out = append(out, n)
	}
	return out
}

func (c *Cluster) selfInfoLocked() NodeInfo {
	st := c.selfStatusLocked()
	return NodeInfo{ID: c.self, Addr: st.Addr, Hostname: st.Hostname, Self: true, Up: true,
		State: StateAlive, LastSeen: c.env.Clock.Mono(), LayoutVersion: st.LayoutVersion, Space: st.Space}
}

func (c *Cluster) withRoleLocked(n NodeInfo) NodeInfo {
	n.Role, n.HasRole = c.hist.Current().Role(n.ID)
	return n
}

// Health returns the cluster's health as this node sees it.
func (c *Cluster) Health() Health {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, w := c.cfg.Mode.Quorums(c.hist.Current().Params.Replication)
	hl := ComputeHealth(c.hist, c.isUpLocked, w)
	hl.KnownNodes = len(c.peers) + 1
	hl.ConnectedNodes = c.nUp + 1
	return hl
}

// Peers returns the known peers, sorted by id.
func (c *Cluster) Peers() []PeerInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]PeerInfo, 0, len(c.ids))
	for _, id := range c.ids {
		out = append(out, c.peers[id].info)
	}
	return out
}
