package table

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestReadRepairHealsStaleReplica writes v2 while one replica is cut off,
// heals, reads through every node, and checks the stale replica got v2
// from read repair alone (no background workers run).
func TestReadRepairHealsStaleReplica(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 3, nodes: 5, cfg: Config{NoWorkers: true}})
	must(t, c.insert("n1", mkRow("pk", "a", 10, "v1")))
	reps := c.replicas("pk")
	stale := reps[2]
	writer := otherThan(c.ids, reps)
	cut := c.w.Network().IsolateNode(string(stale))
	must(t, c.insert(writer, mkRow("pk", "a", 20, "v2")))
	c.w.Network().Heal(cut)
	if r, _, _ := c.tabs[stale].LocalGet([]byte("pk"), []byte("a")); r.Val() != "v1" {
		t.Fatalf("stale replica holds %q before the read, want v1", r.Val())
	}
	for _, id := range c.ids {
		r, _, err := c.get(id, "pk", "a")
		if err != nil || r.Val() != "v2" {
			t.Fatalf("read through %s: %q %v", id, r.Val(), err)
		}
	}
	must(t, c.w.RunFor(time.Second))
	if r, _, _ := c.tabs[stale].LocalGet([]byte("pk"), []byte("a")); r.Val() != "v2" {
		t.Fatalf("stale replica holds %q after reads, want v2", r.Val())
	}
}

// TestRangeReadRepair checks that a range read repairs a replica that
// missed entries.
func TestRangeReadRepair(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 4, nodes: 5, cfg: Config{NoWorkers: true}})
	reps := c.replicas("pk")
	stale := reps[1]
	cut := c.w.Network().IsolateNode(string(stale))
	var rows []row
	for i := range 10 {
		rows = append(rows, mkRow("pk", fmt.Sprint(i), 10, "v"))
	}
	must(t, c.insert(reps[0], rows...))
	c.w.Network().Heal(cut)
	c.pages(t, string(reps[0]), "pk", 100, false)
	c.pages(t, string(reps[2]), "pk", 100, false)
	must(t, c.w.RunFor(time.Second))
	if n := c.localCount(stale); n != 10 {
		t.Fatalf("stale replica holds %d entries after range reads, want 10", n)
	}
}

// otherThan returns the first id not in exclude.
func otherThan(ids, exclude []rt.NodeID) rt.NodeID {
	for _, id := range ids {
		if !slices.Contains(exclude, id) {
			return id
		}
	}
	return ""
}
