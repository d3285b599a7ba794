package garage

import "fmt"

// TableStats are the queue lengths of one table of this node, as metrics
// report them.
type TableStats struct {
	Table      string
	MerkleTodo int // entries changed and not yet in the Merkle tree
	GCTodo     int // tombstones waiting for garbage collection
}

// queued is what a table tells of its queues.
type queued interface {
	Name() string
	Todo() (int, error)
	GCTodo() (int, error)
}

// TableStats returns the queue lengths of every table of the node, in a
// fixed order.
func (n *Node) TableStats() ([]TableStats, error) {
	var out []TableStats
	for _, t := range []queued{n.kv.t} {
		todo, err := t.Todo()
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name(), err)
		}
		gc, err := t.GCTodo()
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name(), err)
		}
		out = append(out, TableStats{Table: t.Name(), MerkleTodo: todo, GCTodo: gc})
	}
	return out, nil
}
