package boltkv

import (
	"bytes"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/gogarage/garage/node/rt"
)

// boltTx adapts a bbolt transaction to rt.Tx; trees are top-level buckets.
type boltTx struct{ tx *bbolt.Tx }

var _ rt.Tx = boltTx{}

// Get returns the value of key in tree, nil if either is missing.
func (t boltTx) Get(tree string, key []byte) ([]byte, error) {
	b := t.tx.Bucket([]byte(tree))
	if b == nil {
		return nil, nil
	}
	return b.Get(key), nil
}

// Scan visits the keys of tree in [start, end), in the requested order.
func (t boltTx) Scan(tree string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	b := t.tx.Bucket([]byte(tree))
	if b == nil {
		return nil
	}
	if reverse {
		scanDown(b.Cursor(), start, end, fn)
	} else {
		scanUp(b.Cursor(), start, end, fn)
	}
	return nil
}

func scanUp(c *bbolt.Cursor, start, end []byte, fn func(k, v []byte) bool) {
	k, v := c.First()
	if start != nil {
		k, v = c.Seek(start)
	}
	for ; k != nil && (end == nil || bytes.Compare(k, end) < 0); k, v = c.Next() {
		if !fn(k, v) {
			return
		}
	}
}

func scanDown(c *bbolt.Cursor, start, end []byte, fn func(k, v []byte) bool) {
	k, v := c.Last()
	if end != nil {
		// Seek lands on the first key >= end, or past the last key.
		if k, v = c.Seek(end); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	for ; k != nil && (start == nil || bytes.Compare(k, start) >= 0); k, v = c.Prev() {
		if !fn(k, v) {
			return
		}
	}
}

// Put stores a copy of value under key in tree, creating the tree if
// needed. bbolt copies the key itself but keeps the value slice until
// commit, so the value is copied here.
func (t boltTx) Put(tree string, key, value []byte) error {
	b, err := t.tx.CreateBucketIfNotExists([]byte(tree))
	if err != nil {
		return fmt.Errorf("create tree %q: %w", tree, err)
	}
	if err := b.Put(key, append([]byte{}, value...)); err != nil {
		return fmt.Errorf("put %q/%x: %w", tree, key, err)
	}
	return nil
}

// Delete removes key from tree; a missing key or tree is not an error.
func (t boltTx) Delete(tree string, key []byte) error {
	b := t.tx.Bucket([]byte(tree))
	if b == nil {
		return nil
	}
	if err := b.Delete(key); err != nil {
		return fmt.Errorf("delete %q/%x: %w", tree, key, err)
	}
	return nil
}
