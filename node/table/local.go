package table

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// LocalGet returns this node's replica of entry (pk, sk) and whether it has
// one.
func (t *Table[E]) LocalGet(pk, sk []byte) (E, bool, error) {
	var e E
	var found bool
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		b, err := tx.Get(t.trees.data, t.key(pk, sk))
		if err != nil || b == nil {
			return err
		}
		found = true
		e, err = crdt.Unmarshal[E](b)
		return err
	})
	if err != nil {
		return e, false, fmt.Errorf("table %s: local get: %w", t.schema.Name(), err)
	}
	return e, found, nil
}

// LocalInsert merges entries into this node's replica, in one transaction
// (the Updated hook and the Merkle todo entries included).
func (t *Table[E]) LocalInsert(es ...E) error {
	encs := make([][]byte, len(es))
	for i, e := range es {
		encs[i] = crdt.Marshal(e)
	}
	_, err := t.applyEncoded(encs)
	return err
}

// applyEncoded decodes and merges encoded entries in one transaction (a
// malformed one aborts it). It returns, for each entry, the Stamp of the
// stored entry before the merge (0 if there was none or the schema is no
// Stamper).
func (t *Table[E]) applyEncoded(encs [][]byte) ([]uint64, error) {
	if err := rt.Fail(t.env.Faults, fail.MetaCommitBefore); err != nil {
		return nil, fmt.Errorf("table %s: apply: %w", t.schema.Name(), err)
	}
	changed := false
	stamps := make([]uint64, len(encs))
	err := t.env.KV.Update(func(tx rt.Tx) error {
		for i, b := range encs {
			e, err := crdt.UnmarshalShared[E](b) // dropped with the transaction
			if err != nil {
				return err
			}
			c, st, err := t.merge(tx, e)
			if err != nil {
				return err
			}
			changed, stamps[i] = changed || c, st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("table %s: apply: %w", t.schema.Name(), err)
	}
	if changed {
		t.wake()
	}
	return stamps, rt.Fail(t.env.Faults, fail.MetaCommitAfter)
}

// merge merges e into the replica within tx and reports whether the
// stored entry changed, and the Stamp of the stored entry before.
func (t *Table[E]) merge(tx rt.Tx, e E) (bool, uint64, error) {
	key := t.keyOf(e)
	oldB, err := tx.Get(t.trees.data, key)
	if err != nil {
		return false, 0, err
	}
	v := &merging[E]{merged: e} // one allocation for both values the hook points to
	old, stamp := (*E)(nil), uint64(0)
	if oldB != nil {
		v.old, err = crdt.UnmarshalShared[E](oldB) // the transaction's slice: v.old goes with it
		if err != nil {
			return false, 0, fmt.Errorf("stored %x: %w", key, err)
		}
		old, v.merged, stamp = &v.old, v.old.Merge(e), t.stamp(v.old)
	}
	merged := v.merged
	enc := crdt.Marshal(merged)
	if oldB != nil && bytes.Equal(oldB, enc) {
		return false, stamp, nil
	}
	if err := t.schema.Updated(tx, old, &v.merged); err != nil {
		return false, 0, fmt.Errorf("updated hook: %w", err)
	}
	return true, stamp, t.store(tx, key, enc, t.schema.IsTombstone(merged))
}

// merging holds the stored entry and the merge result of one merge.
type merging[E any] struct{ old, merged E }

// stamp returns the schema's Stamp of e, or 0 if it is no Stamper.
func (t *Table[E]) stamp(e E) uint64 {
	if s, ok := t.schema.(Stamper[E]); ok {
		return s.Stamp(e)
	}
	return 0
}

// store writes enc under key with its Merkle todo entry and, for a
// tombstone, its GC todo entry.
func (t *Table[E]) store(tx rt.Tx, key, enc []byte, tombstone bool) error {
	if err := tx.Put(t.trees.data, key, enc); err != nil {
		return err
	}
	vh := merkle.Sum(enc)
	if err := tx.Put(t.trees.todo, key, vh[:]); err != nil {
		return err
	}
	if !tombstone {
		return nil
	}
	now := uint64(max(t.env.Clock.Now().UnixMilli(), 0))
	return tx.Put(t.trees.gc, append(binary.BigEndian.AppendUint64(nil, now), key...), vh[:])
}

// deleteIfEqual removes key from the replica within tx if its value still
// hashes to vh, running the Updated hook with new = nil. It reports
// whether it deleted.
func (t *Table[E]) deleteIfEqual(tx rt.Tx, key []byte, vh merkle.Hash) (bool, error) {
	b, err := tx.Get(t.trees.data, key)
	if err != nil || b == nil || merkle.Sum(b) != vh {
		return false, err
	}
	old, err := crdt.Unmarshal[E](b)
	if err != nil {
		return false, fmt.Errorf("stored %x: %w", key, err)
	}
	if err := t.schema.Updated(tx, &old, nil); err != nil {
		return false, fmt.Errorf("updated hook: %w", err)
	}
	if err := tx.Delete(t.trees.data, key); err != nil {
		return false, err
	}
	return true, tx.Put(t.trees.todo, key, []byte{})
}

// getValues returns the stored encodings of keys (nil where absent),
// copied.
func (t *Table[E]) getValues(keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		for i, k := range keys {
			b, err := tx.Get(t.trees.data, k)
			if err != nil {
				return err
			}
			if b != nil {
				out[i] = bytes.Clone(b)
			}
		}
		return nil
	})
	return out, err
}

// LocalScan calls fn with each entry of partition key pk in this node's
// replica, in sort key order, until fn returns false: for fully
// replicated tables, whose reads are local anyway (Full), and for this
// node's own indexes.
func (t *Table[E]) LocalScan(pk []byte, fn func(e E) bool) error {
	h := t.key(pk, nil)
	var derr error
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.data, h, prefixEnd(h), false, func(_, v []byte) bool {
			e, err := crdt.Unmarshal[E](v)
			if err != nil {
				derr = err
				return false
			}
			return fn(e)
		})
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return fmt.Errorf("table %s: local scan: %w", t.schema.Name(), err)
	}
	return nil
}
