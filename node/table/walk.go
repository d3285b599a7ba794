package table

import (
	"bytes"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// LocalPage returns up to n entries of this node's replica (tombstones
// included) whose KV keys follow after (nil: from the first), in KV key
// order, and the KV key to pass as after for the next page (nil once the
// replica is read to its end): how repair workers walk a whole table
// without holding a transaction open.
func (t *Table[E]) LocalPage(after []byte, n int) ([]E, []byte, error) {
	var out []E
	var last []byte
	var derr error
	start := after
	if after != nil {
		start = append(bytes.Clone(after), 0) // the first key after it
	}
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.data, start, nil, false, func(k, v []byte) bool {
			e, err := crdt.Unmarshal[E](v)
			if derr = err; err != nil {
				return false
			}
			out, last = append(out, e), bytes.Clone(k)
			return len(out) < n
		})
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("table %s: local page: %w", t.schema.Name(), err)
	}
	if len(out) < n {
		last = nil
	}
	return out, last, nil
}

// Count returns the number of entries of this node's replica, tombstones
// included. It reads them all: an operator's statistic, not a hot path.
func (t *Table[E]) Count() (int, error) {
	n := 0
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.data, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	if err != nil {
		return 0, fmt.Errorf("table %s: count: %w", t.schema.Name(), err)
	}
	return n, nil
}
