package table

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// QueueInsert adds e to the table's persistent insert queue (tree
// "<name>/insert_queue") within tx, a transaction of this node's KV that
// the caller commits: typically the transaction of another table's Updated
// hook, so that a change and its propagation to this table commit
// together (Garage's queue_insert). A background worker then writes the
// queued entries to a write quorum, retrying with backoff until they are
// acknowledged, and only then removes them. Entries of the same key merge
// in the queue. Every replica of the source entry queues the same entry:
// merges are idempotent, so the repeated inserts are harmless.
func (t *Table[E]) QueueInsert(tx rt.Tx, e E) error {
	key := t.keyOf(e)
	old, err := tx.Get(t.trees.queue, key)
	if err != nil {
		return fmt.Errorf("table %s: queue insert: %w", t.schema.Name(), err)
	}
	if old != nil {
		o, err := crdt.Unmarshal[E](old)
		if err != nil {
			return fmt.Errorf("table %s: queue insert: queued %x: %w", t.schema.Name(), key, err)
		}
		e = o.Merge(e)
	}
	if err := tx.Put(t.trees.queue, key, crdt.Marshal(e)); err != nil {
		return fmt.Errorf("table %s: queue insert: %w", t.schema.Name(), err)
	}
	t.wakeQueue()
	return nil
}

// Queued returns the number of entries in the insert queue.
func (t *Table[E]) Queued() (int, error) {
	n := 0
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.queue, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	return n, err
}

// FlushQueue writes one batch (Config.Batch entries) of the insert queue
// to a write quorum and removes from the queue those that did not change
// meanwhile. It returns how many entries it wrote: 0 when the queue is
// empty.
func (t *Table[E]) FlushQueue(ctx context.Context) (int, error) {
	keys, vals, err := t.queuedBatch()
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	es := make([]E, len(vals))
	for i, v := range vals {
		if es[i], err = crdt.Unmarshal[E](v); err != nil {
			return 0, fmt.Errorf("table %s: flush queue: queued %x: %w", t.schema.Name(), keys[i], err)
		}
	}
	if _, err := t.insertMany(ctx, es, t.bgOpts()); err != nil {
		return 0, fmt.Errorf("table %s: flush queue: %w", t.schema.Name(), err)
	}
	err = t.env.KV.Update(func(tx rt.Tx) error {
		for i, k := range keys {
			cur, err := tx.Get(t.trees.queue, k)
			if err != nil {
				return err
			}
			if bytes.Equal(cur, vals[i]) {
				if err := tx.Delete(t.trees.queue, k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("table %s: flush queue: %w", t.schema.Name(), err)
	}
	return len(keys), nil
}

// queuedBatch reads up to Config.Batch queued entries, copied.
func (t *Table[E]) queuedBatch() (keys, vals [][]byte, err error) {
	err = t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.queue, nil, nil, false, func(k, v []byte) bool {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v))
			return len(keys) < t.opts.Batch
		})
	})
	return keys, vals, err
}

// queueLoop flushes the insert queue whenever QueueInsert wakes it (and
// every QueuePoll), backing off from QueueRetry to QueueRetryMax while
// flushes fail.
func (t *Table[E]) queueLoop(ctx context.Context) {
	backoff := t.opts.QueueRetry
	for ctx.Err() == nil {
		kick := t.queueKick()
		t.began(workerQueue)
		n, err := t.FlushQueue(ctx)
		if n > 0 || err != nil {
			t.ended(workerQueue, nilIfDone(ctx, err))
		} else {
			t.idle(workerQueue)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			t.env.Log.Info("insert queue flush failed", "table", t.schema.Name(), "retry", backoff, "err", err)
			if t.env.Clock.Sleep(ctx, backoff) != nil {
				return
			}
			backoff = min(2*backoff, t.opts.QueueRetryMax)
		case n > 0:
			backoff = t.opts.QueueRetry
		default:
			backoff = t.opts.QueueRetry
			t.waitQueue(ctx, kick)
		}
	}
}

// queueKick returns the current wake-up event of the queue worker.
func (t *Table[E]) queueKick() rt.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.qkick
}

// waitQueue waits until kick is set or QueuePoll passed, then renews the
// event if it was the one set.
func (t *Table[E]) waitQueue(ctx context.Context, kick rt.Event) {
	wctx, cancel := t.env.Tasks.WithTimeout(ctx, t.opts.QueuePoll)
	_ = kick.Wait(wctx)
	cancel()
	t.mu.Lock()
	if t.qkick == kick && kick.IsSet() {
		t.qkick = t.env.Tasks.NewEvent()
	}
	t.mu.Unlock()
}

// wakeQueue tells the queue worker that the queue has work. It may run
// inside a transaction: the worker looks again after QueuePoll if it
// looked before the commit.
func (t *Table[E]) wakeQueue() {
	t.mu.Lock()
	k := t.qkick
	t.mu.Unlock()
	k.Set()
}
