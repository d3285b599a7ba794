package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
)

// maybeReconcile reconciles this node's layout history with id's, whose
// digest theirs differs from this node's: at most one reconciliation runs
// at a time and at most one starts per PingInterval (the next differing
// digest a message brings starts the next one). If this node's history
// already holds theirs (it was ours or we merged it), pushing ours is
// enough; otherwise the histories are pulled, merged and pushed back.
func (c *Cluster) maybeReconcile(id rt.NodeID, theirs Digest) {
	c.mu.Lock()
	now := c.env.Clock.Mono()
	start := !c.reconciling && now >= c.nextReconcile
	if start {
		c.reconciling, c.nextReconcile = true, now+c.cfg.PingInterval
	}
	behind := c.holdsLocked(theirs)
	enc := c.enc
	c.mu.Unlock()
	if !start {
		return
	}
	c.spawn("cluster-layout-reconcile", func(ctx context.Context) {
		defer c.endReconcile()
		if behind {
			c.push(ctx, id, enc)
			return
		}
		c.reconcile(ctx, id)
	})
}

// heldDigests is how many digests of histories this node's history is
// known to hold (holdsLocked) are remembered.
const heldDigests = 32

// holdLocked records that this node's history holds the history of digest
// d: it installed or merged it (merges only grow a history).
func (c *Cluster) holdLocked(d Digest) {
	if len(c.held) < heldDigests {
		c.held = append(c.held, d)
		return
	}
	c.held[c.heldNext] = d
	c.heldNext = (c.heldNext + 1) % heldDigests
}

// holds reports whether this node's history is known to hold the history
// of digest d.
func (c *Cluster) holds(d Digest) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.holdsLocked(d)
}

// holdsLocked reports whether this node's history is known to hold the
// history of digest d.
func (c *Cluster) holdsLocked(d Digest) bool { return slices.Contains(c.held, d) }

func (c *Cluster) endReconcile() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reconciling = false
}

// reconcile pulls id's history, merges it, and pushes the merge back if id
// still lacks part of it.
func (c *Cluster) reconcile(ctx context.Context, id rt.NodeID) {
	rep, err := c.env.Net.Call(ctx, id, EndpointLayoutPull, nil, c.layoutCallOpts())
	if err != nil {
		c.env.Log.Debug("layout pull failed", "peer", id.Short(), "err", err)
		return
	}
	if err := c.mergeEncoded(ctx, rep); err != nil {
		c.env.Log.Warn("layout merge failed", "peer", id.Short(), "err", err)
	}
	c.mu.Lock()
	enc, differs := c.enc, c.digest != digestOf(rep)
	c.mu.Unlock()
	if differs {
		c.push(ctx, id, enc)
	}
}

// pushState coalesces pushes to one peer: at most one push task runs per
// peer, and changes made meanwhile make it push again, the newest history.
// Its fields are guarded by the cluster's mutex.
type pushState struct {
	active, again bool
	sent          Digest // the last history id acknowledged
}

// schedulePush makes sure id receives this node's newest history.
func (c *Cluster) schedulePush(id rt.NodeID) {
	c.mu.Lock()
	ps := c.pushes[id]
	if ps == nil {
		ps = &pushState{}
		c.pushes[id] = ps
	}
	start := !ps.active
	ps.active, ps.again = true, ps.again || !start
	c.mu.Unlock()
	if start {
		c.spawn("cluster-layout-push", func(ctx context.Context) { c.pushLoop(ctx, id, ps) })
	}
}

// pushLoop pushes the newest history to id until no change came in
// during the last push.
func (c *Cluster) pushLoop(ctx context.Context, id rt.NodeID, ps *pushState) {
	for {
		c.mu.Lock()
		enc, d := c.enc, c.digest
		ps.again = false
		c.mu.Unlock()
		if d != ps.sent && c.push(ctx, id, enc) {
			c.mu.Lock()
			ps.sent = d
			c.mu.Unlock()
		}
		c.mu.Lock()
		more := ps.again
		ps.active = more
		c.mu.Unlock()
		if !more {
			return
		}
	}
}

// push sends an encoded history to id and reports whether id took it.
func (c *Cluster) push(ctx context.Context, id rt.NodeID, enc []byte) bool {
	if _, err := c.env.Net.Call(ctx, id, EndpointLayoutPush, enc, c.layoutCallOpts()); err != nil {
		c.env.Log.Debug("layout push failed", "peer", id.Short(), "err", err)
		return false
	}
	return true
}

func (c *Cluster) layoutCallOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: c.cfg.RPCTimeout, Prio: rt.PrioHigh}
}

func (c *Cluster) handleLayoutPull(context.Context, rt.NodeID, []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enc, nil
}

func (c *Cluster) handleLayoutPush(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	return nil, c.mergeEncoded(ctx, req)
}

// mergeEncoded decodes a peer's history and merges it into this node's.
// Installing a newer version passes the LayoutApply failpoint.
func (c *Cluster) mergeEncoded(ctx context.Context, enc []byte) error {
	if c.holds(digestOf(enc)) {
		return nil // already merged, or an earlier state of this node's
	}
	o, err := layout.DecodeHistory(enc)
	if err != nil {
		return fmt.Errorf("merge layout: %w", err)
	}
	if o.Current().Number > c.layoutSnapshot().Current().Number {
		if err := fail.Hit(ctx, c.env.Faults, c.env.Clock, fail.LayoutApply); err != nil {
			return fmt.Errorf("merge layout: %w", err)
		}
	}
	err = c.changeLayout(func(h *layout.History) (bool, error) { return h.Merge(o) }, false)
	if errors.Is(err, layout.ErrConflict) {
		c.env.Log.Error("layout conflict", "err", err)
	}
	if err == nil {
		c.mu.Lock()
		c.holdLocked(digestOf(enc))
		c.mu.Unlock()
	}
	return err
}
