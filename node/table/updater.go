package table

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// todoBatch is the number of Merkle todo entries applied per transaction.
const todoBatch = 256

// merkleLoop applies the Merkle todo queue to the tries, then waits for
// the data path to queue more, and MerkleDelay beyond.
func (t *Table[E]) merkleLoop(ctx context.Context) {
	for ctx.Err() == nil {
		t.mu.Lock()
		kick := t.kick
		t.mu.Unlock()
		t.began(workerMerkle)
		err := t.Drain(ctx)
		t.ended(workerMerkle, nilIfDone(ctx, err))
		if err != nil {
			t.env.Log.Warn("merkle updater", "table", t.schema.Name(), "err", err)
			if t.env.Clock.Sleep(ctx, t.opts.SyncRetry) != nil {
				return
			}
			continue
		}
		if kick.Wait(ctx) != nil {
			return
		}
		t.mu.Lock()
		if t.kick == kick {
			t.kick = t.env.Tasks.NewEvent()
		}
		t.mu.Unlock()
		if t.env.Clock.Sleep(ctx, t.opts.MerkleDelay) != nil {
			return
		}
	}
}

// wake tells the Merkle updater that the todo queue has work.
func (t *Table[E]) wake() {
	t.mu.Lock()
	k := t.kick
	t.mu.Unlock()
	k.Set()
}

// Drain applies the whole Merkle todo queue to the tries, in transactions
// of a few hundred entries, until the queue is empty.
func (t *Table[E]) Drain(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := t.drainBatch()
		if err != nil {
			return fmt.Errorf("table %s: merkle update: %w", t.schema.Name(), err)
		}
		if n == 0 {
			return nil
		}
	}
	return ctx.Err()
}

// drainBatch applies up to todoBatch todo entries in one transaction: each
// sets (value hash) or removes (empty value) the key in its partition's
// trie, and leaves the queue.
func (t *Table[E]) drainBatch() (int, error) {
	n := 0
	err := t.env.KV.Update(func(tx rt.Tx) error {
		var keys, vals [][]byte
		err := tx.Scan(t.trees.todo, nil, nil, false, func(k, v []byte) bool {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v))
			return len(keys) < todoBatch
		})
		if err != nil {
			return err
		}
		n = len(keys)
		for i, k := range keys {
			if err := t.applyTodo(tx, k, vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func (t *Table[E]) applyTodo(tx rt.Tx, key, val []byte) error {
	if len(key) < 32 || (len(val) != 0 && len(val) != 32) {
		return fmt.Errorf("corrupt todo entry %x", key)
	}
	var vh *merkle.Hash
	if len(val) == 32 {
		h := merkle.Hash(val)
		vh = &h
	}
	if err := t.trie.Update(tx, t.partOf(key), key, vh); err != nil {
		return err
	}
	return tx.Delete(t.trees.todo, key)
}

// Todo returns the length of the Merkle todo queue.
func (t *Table[E]) Todo() (int, error) {
	n := 0
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.todo, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	return n, err
}

// Root returns the Merkle root of partition p of this node's replica (as
// far as the todo queue was applied).
func (t *Table[E]) Root(p int) (merkle.Hash, error) {
	var h merkle.Hash
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		h, err = t.trie.Root(tx, uint16(p))
		return err
	})
	return h, err
}

// Roots returns the Merkle roots of every partition, in order.
func (t *Table[E]) Roots() ([]merkle.Hash, error) {
	parts := make([]uint16, t.partitions())
	for p := range parts {
		parts[p] = uint16(p)
	}
	return t.rootsOf(parts)
}

// rootsOf returns the Merkle roots of partitions parts, in one read
// transaction.
func (t *Table[E]) rootsOf(parts []uint16) ([]merkle.Hash, error) {
	var out []merkle.Hash
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		out, err = t.trie.Roots(tx, parts)
		return err
	})
	return out, err
}

// Partitions returns the number of Merkle partitions of the table.
func (t *Table[E]) Partitions() int { return t.partitions() }
