package table

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// maxPrefixes bounds the Merkle nodes asked for in one RPC.
const maxPrefixes = 2048

// syncLoop runs an anti-entropy pass at start, every SyncInterval, when the
// layout changes (told by a LayoutNotifier, else checked every LayoutPoll)
// and SyncRetry after a failed pass. Passes for layout changes start at
// most once per LayoutPoll: a transition moves several trackers of every
// node within a second, and one pass serves them all.
func (t *Table[E]) syncLoop(ctx context.Context) {
	var last [32]byte
	var due time.Duration // monotonic time of the next periodic pass
	first := true
	for ctx.Err() == nil {
		var changed rt.Event
		if t.notifier != nil {
			changed = t.notifier.Changed() // before the snapshot: no change slips between
		}
		sh := t.lay.Sharding()
		fp := sh.Fingerprint()
		if first || fp != last || t.env.Clock.Mono() >= due {
			first = false
			t.began(workerSync)
			err := t.syncPass(ctx, sh)
			t.ended(workerSync, nilIfDone(ctx, err))
			last, due = fp, t.env.Clock.Mono()+t.opts.SyncInterval
			if err != nil && ctx.Err() == nil {
				t.env.Log.Info("anti-entropy pass failed", "table", t.schema.Name(), "err", err)
				due = t.env.Clock.Mono() + t.opts.SyncRetry
			}
		}
		if !t.waitLayout(ctx, changed, due) {
			return
		}
	}
}

// waitLayout waits for changed (nil: LayoutPoll) or until the monotonic
// time due, and reports whether ctx is still live.
func (t *Table[E]) waitLayout(ctx context.Context, changed rt.Event, due time.Duration) bool {
	if changed == nil {
		return t.env.Clock.Sleep(ctx, t.opts.LayoutPoll) == nil
	}
	start := t.env.Clock.Mono()
	wait := due - start
	if wait <= 0 {
		return ctx.Err() == nil
	}
	wctx, cancel := t.env.Tasks.WithTimeout(ctx, wait)
	err := changed.Wait(wctx)
	cancel()
	if err != nil {
		return ctx.Err() == nil // the periodic pass is due
	}
	// A change: let the rest of a burst arrive, up to LayoutPoll after the
	// wait began (a change after a quiet LayoutPoll is served at once).
	if rest := start + t.opts.LayoutPoll - t.env.Clock.Mono(); rest > 0 {
		return t.env.Clock.Sleep(ctx, min(rest, due-t.env.Clock.Mono())) == nil
	}
	return ctx.Err() == nil
}

// SyncOnce runs one anti-entropy pass over the current layout: every
// partition this node stores is compared with every other node storing it
// (in any live version), and the differences pushed and pulled; every
// partition it no longer stores is offloaded. After a pass without error,
// it reports the snapshot's version with Layout.SyncDone.
func (t *Table[E]) SyncOnce(ctx context.Context) error {
	return t.syncPass(ctx, t.lay.Sharding())
}

func (t *Table[E]) syncPass(ctx context.Context, sh Sharding) error {
	if sh.Bits > t.opts.PartitionBits {
		return fmt.Errorf("table %s: sync: layout has 2^%d partitions, table 2^%d",
			t.schema.Name(), sh.Bits, t.opts.PartitionBits)
	}
	if err := t.Drain(ctx); err != nil {
		return err
	}
	peers, offload := t.assignments(sh)
	var errs []error
	for _, p := range offload {
		if err := t.offload(ctx, p, sh.PartOf(t.firstHash(p))); err != nil {
			errs = append(errs, err)
		}
	}
	for _, pp := range peers {
		if err := t.syncPeer(ctx, pp.peer, pp.parts); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("table %s: sync: %w", t.schema.Name(), err)
	}
	if sh.Version != 0 {
		t.lay.SyncDone(sh.Version)
	}
	return nil
}

// peerParts lists the partitions this node shares with one peer.
type peerParts struct {
	peer  rt.NodeID
	parts []uint16
}

// assignments returns, for each other node, the partitions it shares with
// this one (peers in order of first appearance), and the partitions this
// node stores none of in sh. They are memoised in sh's memo when it has
// one, shared by the tables of the node: callers must not modify them.
func (t *Table[E]) assignments(sh Sharding) ([]peerParts, []uint16) {
	if sh.memo == nil {
		return t.computeAssignments(sh)
	}
	return sh.memo.assignments(asgKey{t.env.ID, t.opts.PartitionBits},
		func() ([]peerParts, []uint16) { return t.computeAssignments(sh) })
}

func (t *Table[E]) computeAssignments(sh Sharding) ([]peerParts, []uint16) {
	var peers []peerParts
	index := map[rt.NodeID]int{}
	var offload []uint16
	for p := range t.partitions() {
		part := sh.PartOf(t.firstHash(uint16(p)))
		nodes := part.Nodes()
		if len(nodes) == 0 {
			continue // no layout: keep everything
		}
		if !part.Holds(t.env.ID) {
			offload = append(offload, uint16(p))
			continue
		}
		for _, n := range nodes {
			if n == t.env.ID {
				continue
			}
			i, ok := index[n]
			if !ok {
				i = len(peers)
				index[n] = i
				peers = append(peers, peerParts{peer: n})
			}
			peers[i].parts = append(peers[i].parts, uint16(p))
		}
	}
	return peers, offload
}

func (t *Table[E]) firstHash(p uint16) [32]byte {
	return layout.FirstHash(layout.Partition(p), t.opts.PartitionBits)
}

// syncPeer compares the roots of parts with peer and reconciles those that
// differ.
func (t *Table[E]) syncPeer(ctx context.Context, peer rt.NodeID, parts []uint16) error {
	if err := rt.Fail(t.env.Faults, fail.TableSync); err != nil {
		return fmt.Errorf("with %s: %w", peer, err)
	}
	remote, err := t.remoteRoots(ctx, peer, parts)
	if err != nil {
		return fmt.Errorf("roots of %s: %w", peer, err)
	}
	local, err := t.rootsOf(parts)
	if err != nil {
		return err
	}
	var differ []uint16
	for i, p := range parts {
		if local[i] != remote[i] {
			differ = append(differ, p)
		}
	}
	return parallel(ctx, t.env.Tasks, len(differ), t.opts.SyncParallel, func(ctx context.Context, i int) error {
		if err := t.syncPartition(ctx, peer, differ[i]); err != nil {
			return fmt.Errorf("partition %d with %s: %w", differ[i], peer, err)
		}
		return nil
	})
}

func (t *Table[E]) remoteRoots(ctx context.Context, peer rt.NodeID, parts []uint16) ([]merkle.Hash, error) {
	rep, err := t.env.Net.Call(ctx, peer, t.ep.roots, appendParts(nil, parts), t.bgOpts())
	if err != nil {
		return nil, err
	}
	r := reader{b: rep}
	n := r.count()
	out := make([]merkle.Hash, len(parts))
	bad := n < len(out) // fewer roots than asked for, or one of the wrong size
	for i := range n {
		b := r.bytes()
		switch {
		case i >= len(out): // more roots than asked for: not ours to read
		case len(b) != len(out[i]):
			bad = true
		default:
			copy(out[i][:], b)
		}
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if bad {
		return nil, fmt.Errorf("%w: roots", errMessage)
	}
	return out, nil
}

// syncPartition diffs partition p's tries with peer, pushes the entries
// the peer lacks and pulls those this node lacks; both sides merge, so
// entries that differ on both go both ways harmlessly.
func (t *Table[E]) syncPartition(ctx context.Context, peer rt.NodeID, p uint16) error {
	push, pull, err := merkle.Diff(
		func(prefixes [][]byte) ([]merkle.Node, error) { return t.localNodes(p, prefixes) },
		func(prefixes [][]byte) ([]merkle.Node, error) { return t.remoteNodes(ctx, peer, p, prefixes) })
	if err != nil {
		return err
	}
	if err := t.push(ctx, peer, push); err != nil {
		return fmt.Errorf("push: %w", err)
	}
	if err := t.pull(ctx, peer, pull); err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	return nil
}

func (t *Table[E]) remoteNodes(ctx context.Context, peer rt.NodeID, p uint16, prefixes [][]byte) ([]merkle.Node, error) {
	var out []merkle.Node
	for len(prefixes) > 0 {
		n := min(len(prefixes), maxPrefixes)
		req := appendList(appendBytes(nil, partBytes(p)), prefixes[:n])
		rep, err := t.env.Net.Call(ctx, peer, t.ep.nodes, req, t.bgOpts())
		if err != nil {
			return nil, err
		}
		r := reader{b: rep}
		encs := r.list()
		if err := r.done(); err != nil {
			return nil, err
		}
		if len(encs) != n {
			return nil, fmt.Errorf("%w: %d nodes for %d prefixes", errMessage, len(encs), n)
		}
		for _, b := range encs {
			node, err := merkle.Decode(b)
			if err != nil {
				return nil, err
			}
			out = append(out, node)
		}
		prefixes = prefixes[n:]
	}
	return out, nil
}

// push sends the local entries of keys to peer, in batches.
func (t *Table[E]) push(ctx context.Context, peer rt.NodeID, keys [][]byte) error {
	for len(keys) > 0 {
		n := min(len(keys), t.opts.Batch)
		vals, err := t.getValues(keys[:n])
		if err != nil {
			return err
		}
		var encs [][]byte
		for _, v := range vals {
			if v != nil {
				encs = append(encs, v)
			}
		}
		if _, err := t.sendBatches(ctx, peer, encs, t.bgOpts()); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// pull fetches peer's entries of keys, in batches, and merges them.
func (t *Table[E]) pull(ctx context.Context, peer rt.NodeID, keys [][]byte) error {
	for len(keys) > 0 {
		n := min(len(keys), t.opts.Batch)
		rep, err := t.env.Net.Call(ctx, peer, t.ep.pull, appendList(nil, keys[:n]), t.bgOpts())
		if err != nil {
			return err
		}
		vals, err := decodeOpts(rep)
		if err != nil {
			return err
		}
		var encs [][]byte
		for _, v := range vals {
			if v != nil {
				encs = append(encs, v)
			}
		}
		if _, err := t.applyEncoded(encs); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// parallel runs fn(ctx, i) for i in [0, n) on at most k tasks at once and
// returns the errors joined.
func parallel(ctx context.Context, tasks rt.Tasks, n, k int, fn func(ctx context.Context, i int) error) error {
	mu := tasks.NewMutex()
	next := 0
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		next++
		return next - 1
	}
	workers := make([]*rt.Future[struct{}], min(k, n))
	for w := range workers {
		workers[w] = rt.Go(tasks, "table-sync-worker", func(context.Context) (struct{}, error) {
			var errs []error
			for i := take(); i < n && ctx.Err() == nil; i = take() {
				errs = append(errs, fn(ctx, i))
			}
			return struct{}{}, errors.Join(errs...)
		})
	}
	var errs []error
	for _, f := range workers {
		_, err := f.Wait(ctx)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
