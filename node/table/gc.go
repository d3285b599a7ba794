package table

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// gcItem is a queued tombstone: its gc_todo key, its entry key and the hash
// of the tombstone's encoding.
type gcItem struct {
	todo, key []byte
	vh        merkle.Hash
}

func (it gcItem) wire() []byte { return append(bytes.Clone(it.vh[:]), it.key...) }

// gcLoop runs a GC round every GCInterval.
func (t *Table[E]) gcLoop(ctx context.Context) {
	for t.env.Clock.Sleep(ctx, t.opts.GCInterval) == nil {
		t.began(workerGC)
		err := t.CollectOnce(ctx)
		t.ended(workerGC, nilIfDone(ctx, err))
		if err != nil && ctx.Err() == nil {
			t.env.Log.Info("tombstone gc round failed", "table", t.schema.Name(), "err", err)
		}
	}
}

// CollectOnce runs a round of tombstone GC over the tombstones queued for
// at least GCDelay, in two phases per group of replicas, as Garage does:
// first every replica must confirm it holds the tombstone (it is sent to
// them all and merged), then every replica deletes it if its value is
// still that tombstone (compare-and-delete by value hash), this node last.
// A group with a replica that fails is skipped and retried next round, so
// no replica keeps an older value that a missing tombstone would let
// resurrect. Queue entries whose tombstone was overwritten are dropped.
func (t *Table[E]) CollectOnce(ctx context.Context) error {
	due, stale, err := t.dueTombstones()
	if err != nil {
		return fmt.Errorf("table %s: gc: %w", t.schema.Name(), err)
	}
	if err := t.finishGC(nil, stale); err != nil {
		return fmt.Errorf("table %s: gc: %w", t.schema.Name(), err)
	}
	var errs []error
	for _, g := range t.groupByNodes(due) {
		if err := t.collectGroup(ctx, g.nodes, g.items); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("table %s: gc: %w", t.schema.Name(), err)
	}
	return nil
}

// dueTombstones returns up to Batch queued tombstones older than GCDelay
// that are still this node's value, and the queue keys of the others.
func (t *Table[E]) dueTombstones() (due []gcItem, stale [][]byte, err error) {
	cutoff := t.env.Clock.Now().Add(-t.opts.GCDelay).UnixMilli()
	if cutoff < 0 {
		return nil, nil, nil
	}
	end := binary.BigEndian.AppendUint64(nil, uint64(cutoff)+1)
	err = t.env.KV.View(func(tx rt.ReadTx) error {
		var gerr error
		err := tx.Scan(t.trees.gc, nil, end, false, func(k, v []byte) bool {
			if len(k) < 8+32 || len(v) != 32 {
				stale = append(stale, bytes.Clone(k))
				return true
			}
			it := gcItem{todo: bytes.Clone(k), key: bytes.Clone(k[8:]), vh: merkle.Hash(v)}
			cur, err := tx.Get(t.trees.data, it.key)
			if gerr = err; err != nil {
				return false
			}
			if cur != nil && merkle.Sum(cur) == it.vh {
				due = append(due, it)
			} else {
				stale = append(stale, it.todo)
			}
			return len(due)+len(stale) < t.opts.Batch
		})
		return errors.Join(err, gerr)
	})
	return due, stale, err
}

// gcGroup is queued tombstones with the same replicas.
type gcGroup struct {
	nodes []rt.NodeID
	items []gcItem
}

// groupByNodes groups items by the nodes storing them in any live layout
// version, leaving out those of partitions this node does not store.
func (t *Table[E]) groupByNodes(items []gcItem) []gcGroup {
	sh := t.lay.Sharding()
	var groups []gcGroup
	index := map[string]int{}
	for _, it := range items {
		part := sh.PartOf([32]byte(it.key[:32]))
		if !part.Holds(t.env.ID) {
			continue
		}
		nodes := part.Nodes()
		k := fmt.Sprint(nodes)
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, gcGroup{nodes: nodes})
		}
		groups[i].items = append(groups[i].items, it)
	}
	return groups
}

// collectGroup runs both phases for items stored on nodes.
func (t *Table[E]) collectGroup(ctx context.Context, nodes []rt.NodeID, items []gcItem) error {
	var others []rt.NodeID
	for _, n := range nodes {
		if n != t.env.ID {
			others = append(others, n)
		}
	}
	keys := make([][]byte, len(items))
	wire := make([][]byte, len(items))
	for i, it := range items {
		keys[i], wire[i] = it.key, it.wire()
	}
	vals, err := t.getValues(keys)
	if err != nil {
		return err
	}
	if err := t.onAll(ctx, others, func(ctx context.Context, to rt.NodeID) error {
		_, err := t.sendBatches(ctx, to, nonNil(vals), t.bgOpts())
		return err
	}); err != nil {
		return fmt.Errorf("phase 1: %w", err)
	}
	if err := rt.Fail(t.env.Faults, fail.GCDelete); err != nil {
		return fmt.Errorf("phase 2: %w", err)
	}
	if err := t.onAll(ctx, others, func(ctx context.Context, to rt.NodeID) error {
		_, err := t.env.Net.Call(ctx, to, t.ep.gcdel, appendList(nil, wire), t.bgOpts())
		return err
	}); err != nil {
		return fmt.Errorf("phase 2: %w", err)
	}
	return t.finishGC(items, nil)
}

// onAll calls fn on every node and fails unless all succeed.
func (t *Table[E]) onAll(ctx context.Context, nodes []rt.NodeID, fn func(ctx context.Context, to rt.NodeID) error) error {
	_, err := rt.Quorum(ctx, t.env.Tasks, len(nodes), len(nodes),
		func(ctx context.Context, i int) (struct{}, error) { return struct{}{}, fn(ctx, nodes[i]) }, nil)
	return err
}

// finishGC deletes the collected items locally (if unchanged) and drops
// their queue entries and the stale ones, in one transaction.
func (t *Table[E]) finishGC(items []gcItem, stale [][]byte) error {
	if len(items) == 0 && len(stale) == 0 {
		return nil
	}
	err := t.env.KV.Update(func(tx rt.Tx) error {
		for _, it := range items {
			if _, err := t.deleteIfEqual(tx, it.key, it.vh); err != nil {
				return err
			}
			stale = append(stale, it.todo)
		}
		for _, k := range stale {
			if err := tx.Delete(t.trees.gc, k); err != nil {
				return err
			}
		}
		return nil
	})
	if len(items) > 0 {
		t.wake()
	}
	return err
}

func nonNil(bs [][]byte) [][]byte {
	var out [][]byte
	for _, b := range bs {
		if b != nil {
			out = append(out, b)
		}
	}
	return out
}
