package table

import "github.com/gogarage/garage/node/rt"

// GCTodo returns the length of the tombstone GC queue.
func (t *Table[E]) GCTodo() (int, error) {
	n := 0
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.gc, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	return n, err
}

// Name returns the table's name.
func (t *Table[E]) Name() string { return t.schema.Name() }
