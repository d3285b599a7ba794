package table

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// offload moves partition p, which this node stores in no live layout
// version, to the nodes that do: each batch of entries is written to a
// write quorum of every set of part, then deleted locally if unchanged
// meanwhile.
func (t *Table[E]) offload(ctx context.Context, p uint16, part Part) error {
	for ctx.Err() == nil {
		keys, vals, err := t.scanPart(p, t.opts.Batch)
		if err != nil || len(keys) == 0 {
			return err
		}
		nodes, sets := indexSets(nil, map[rt.NodeID]int{}, part.Sets)
		_, err = waitSetsStart(ctx, t.env.Tasks, len(nodes), sets, t.lay.WriteQuorum(),
			func(i int, done func(uint64, error)) { t.startBatches(nodes[i], vals, nil, t.bgOpts(), done) })
		if err != nil {
			return fmt.Errorf("offload partition %d: %w", p, err)
		}
		items := make([][]byte, len(keys))
		for i, k := range keys {
			vh := merkle.Sum(vals[i])
			items[i] = append(vh[:], k...)
		}
		if err := t.deleteItems(items); err != nil {
			return fmt.Errorf("offload partition %d: %w", p, err)
		}
	}
	return ctx.Err()
}

// scanPart returns up to n entries (keys and encodings) of partition p.
func (t *Table[E]) scanPart(p uint16, n int) (keys, vals [][]byte, err error) {
	lo, hi := t.partRange(int(p))
	err = t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(t.trees.data, lo, hi, false, func(k, v []byte) bool {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v))
			return len(keys) < n
		})
	})
	return keys, vals, err
}
