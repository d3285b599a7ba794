package model

import (
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// LocalCounts returns the sum of this node's own counts over every bucket
// it stores objects of: the objects, bytes and uploads of its replicas,
// read locally (what metrics report of one node).
func (t *Tables) LocalCounts() (Counts, error) {
	var sum Counts
	var derr error
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(counterLocal, nil, nil, false, func(k, _ []byte) bool {
			if len(k) != len(UUID{}) {
				return true
			}
			c, _, err := localCounts(tx, UUID(k))
			if derr = err; err != nil {
				return false
			}
			sum = sum.Add(c)
			return true
		})
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return Counts{}, fmt.Errorf("local counts: %w", err)
	}
	return sum, nil
}
