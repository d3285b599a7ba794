package table

import (
	"fmt"
	"testing"
	"time"
)

// TestLocalPageWalksTheReplica reads a node's replica in pages of every
// size: each entry once, in KV key order, and Count agrees.
func TestLocalPageWalksTheReplica(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 3, nodes: 3})
	var rows []row
	for i := range 25 {
		rows = append(rows, mkRow(fmt.Sprint("pk", i%7), fmt.Sprint("sk", i), 1, "v"))
	}
	must(t, c.insert(c.ids[0], rows...))
	must(t, c.w.RunFor(time.Second))
	tab := c.tabs[c.ids[1]]
	n, err := tab.Count()
	must(t, err)
	if n != len(rows) || n != c.localCount(c.ids[1]) {
		t.Fatalf("Count: %d, want %d", n, len(rows))
	}
	for _, size := range []int{1, 4, 25, 26, 100} {
		seen := map[string]bool{}
		var prev []byte
		var after []byte
		for pages := 0; ; pages++ {
			page, next, err := tab.LocalPage(after, size)
			must(t, err)
			for _, r := range page {
				k := Key(r.PartitionKey(), r.SortKey())
				if prev != nil && string(k) <= string(prev) {
					t.Fatalf("page size %d: keys out of order", size)
				}
				prev, seen[r.PK+"/"+r.SK] = k, true
			}
			if next == nil {
				break
			}
			if pages > 100 {
				t.Fatalf("page size %d: no end", size)
			}
			after = next
		}
		if len(seen) != len(rows) {
			t.Errorf("page size %d: %d distinct entries, want %d", size, len(seen), len(rows))
		}
	}
}

// TestWorkerStatsCount checks that the insert-queue worker counts its
// rounds and the Merkle updater its drains.
func TestWorkerStatsCount(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 4, nodes: 3})
	tab := c.tabs[c.ids[0]]
	before := tab.Workers()
	must(t, c.insert(c.ids[0], mkRow("a", "b", 1, "v")))
	must(t, c.w.RunFor(2*time.Second))
	after := tab.Workers()
	if after.Merkle.Done <= before.Merkle.Done || after.Merkle.Busy {
		t.Errorf("merkle updater: before %+v, after %+v", before.Merkle, after.Merkle)
	}
	if after.Sync.Done == 0 && after.Sync.Errors == 0 {
		t.Errorf("sync worker counted no pass: %+v", after.Sync)
	}
}
