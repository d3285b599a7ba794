package cluster

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// changeLayout applies fn to a copy of the history and installs the result
// if it differs: this node's trackers advance, the history is persisted,
// subscribers are notified and, if broadcast is set, the new history is
// pushed to every up peer. Other changes (tracker moves, merges, staging)
// spread by gossip: every membership message carries the layout digest.
// When fn fails, its result is kept only if it reports a change (a merge
// that met a conflict merges the rest); fn's error is returned.
func (c *Cluster) changeLayout(fn func(h *layout.History) (bool, error), broadcast bool) error {
	c.mu.Lock()
	h := c.hist.Clone()
	changed, fnErr := fn(h)
	if fnErr != nil && !changed {
		h = c.hist.Clone()
	}
	c.advanceLocked(h)
	installed, err := c.installLocked(h)
	c.mu.Unlock()
	if installed {
		c.afterChange(broadcast)
	}
	if fnErr != nil {
		return fnErr
	}
	return err
}

// advanceLocked moves this node's trackers on h: ack the current version
// once no write begun under an older one is in flight; with AutoSync, mark
// the sync target synced once every node acked it; sync-ack the cluster's
// sync minimum.
func (c *Cluster) advanceLocked(h *layout.History) {
	if cur := h.Current().Number; c.ackableLocked(cur) {
		h.Ack(c.self, cur)
	}
	if v, ok := h.SyncTarget(); ok && c.cfg.AutoSync {
		h.Synced(c.self, v)
	}
	h.SyncAcked(c.self, h.SyncMin())
}

func (c *Cluster) ackableLocked(cur uint64) bool {
	for _, g := range c.guards {
		if g.v < cur && g.n > 0 {
			return false
		}
	}
	return true
}

// guardCount is the number of in-flight writes that began under layout
// version v.
type guardCount struct {
	v uint64
	n int
}

// guardIndex returns the index of version v in c.guards, or -1; c.mu is
// held.
func (c *Cluster) guardIndex(v uint64) int {
	for i, g := range c.guards {
		if g.v == v {
			return i
		}
	}
	return -1
}

// installLocked makes h the node's history if its encoding differs, and
// persists it. It reports whether h was installed.
func (c *Cluster) installLocked(h *layout.History) (bool, error) {
	enc, err := h.Encode()
	if err != nil {
		return false, fmt.Errorf("encode layout: %w", err)
	}
	if bytes.Equal(enc, c.enc) {
		return false, nil
	}
	c.hist, c.enc, c.digest = h, enc, digestOf(enc)
	c.holdLocked(c.digest)
	return true, c.persist(keyLayout, enc)
}

// afterChange notifies subscribers and, if push is set, pushes the
// history to every up peer.
func (c *Cluster) afterChange(push bool) {
	c.mu.Lock()
	subs := append([]func(*layout.History){}, c.subs...)
	changed := c.changed
	c.changed = c.env.Tasks.NewEvent()
	var to []rt.NodeID
	if push {
		to = c.upPeersLocked()
	}
	c.mu.Unlock()
	changed.Set()
	for _, fn := range subs {
		c.spawn("cluster-layout-subscriber", func(context.Context) { fn(c.layoutSnapshot()) })
	}
	for _, id := range to {
		c.schedulePush(id)
	}
}

// layoutSnapshot returns the current history, which must not be modified.
func (c *Cluster) layoutSnapshot() *layout.History {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hist
}

// LayoutChanged returns an event set at the next change of the layout
// history (new versions, tracker moves, staging) after the call: what a
// table's sync worker waits for (see table.LayoutNotifier).
func (c *Cluster) LayoutChanged() rt.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// readSnapshot returns the current history and its read version
// (History.ReadVersion), computed once per history.
func (c *Cluster) readSnapshot() (*layout.History, *layout.Version) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readOf != c.hist {
		c.readVer, c.readOf = c.hist.ReadVersion(), c.hist
	}
	return c.hist, c.readVer
}

// Subscribe registers fn to be called, in a task of its own, after every
// change of the layout history (new versions, tracker moves, staging). fn
// receives the history current when it runs and must not modify it.
func (c *Cluster) Subscribe(fn func(h *layout.History)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subs = append(c.subs, fn)
}

// Guard marks a write in flight under the current layout version and
// returns the function that ends it. This node does not ack a newer
// version while a write begun under an older one is in flight, so the
// copy of a new version's data (sync) cannot miss that write. The table
// layer takes a guard around each write; release is idempotent.
func (c *Cluster) Guard() (release func()) {
	c.mu.Lock()
	v := c.hist.Current().Number
	if i := c.guardIndex(v); i >= 0 {
		c.guards[i].n++
	} else {
		c.guards = append(c.guards, guardCount{v: v, n: 1})
	}
	c.mu.Unlock()
	done := false
	return func() { c.release(v, &done) }
}

func (c *Cluster) release(v uint64, done *bool) {
	c.mu.Lock()
	if *done {
		c.mu.Unlock()
		return
	}
	*done = true
	if i := c.guardIndex(v); i >= 0 {
		if c.guards[i].n--; c.guards[i].n <= 0 {
			c.guards = slices.Delete(c.guards, i, i+1)
		}
	}
	stale := v < c.hist.Current().Number
	c.mu.Unlock()
	if stale {
		c.refresh()
	}
}

// refresh re-runs the tracker advance on the current history.
func (c *Cluster) refresh() {
	if err := c.changeLayout(func(*layout.History) (bool, error) { return false, nil }, false); err != nil {
		c.env.Log.Warn("layout refresh failed", "err", err)
	}
}
