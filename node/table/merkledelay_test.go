package table

import (
	"context"
	"testing"
	"time"
)

// todoTotal is the length of the Merkle todo queues of every node.
func (c *cluster) todoTotal() int {
	n := 0
	for _, id := range c.ids {
		k, err := c.tabs[id].Todo()
		must(c.t, err)
		n += k
	}
	return n
}

// TestMerkleDelay checks that the Merkle updater applies the entries of
// writes MerkleDelay after the first of them woke it, all at once, and
// at once with a negative delay.
func TestMerkleDelay(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 1, nodes: 3, cfg: Config{MerkleDelay: time.Second}})
	insert := func(sk string) {
		t.Helper()
		must(t, c.do(func(ctx context.Context) error { return c.tabs["n1"].Insert(ctx, mkRow("k", sk, 1, "v")) }))
	}
	must(t, c.w.RunFor(3*time.Second)) // past the start's own wake-ups
	insert("a")
	must(t, c.w.RunFor(300*time.Millisecond))
	insert("b")
	must(t, c.w.RunFor(300*time.Millisecond))
	if n := c.todoTotal(); n != 6 {
		t.Errorf("600 ms after the first write: %d todo entries on 3 replicas, want 6 (2 writes, none applied yet)", n)
	}
	must(t, c.w.RunFor(time.Second))
	if n := c.todoTotal(); n != 0 {
		t.Errorf("1.6 s after the first write: %d todo entries, want 0", n)
	}

	now := newCluster(t, clusterOpts{seed: 1, nodes: 3, cfg: Config{MerkleDelay: -1}})
	must(t, now.do(func(ctx context.Context) error { return now.tabs["n1"].Insert(ctx, mkRow("k", "a", 1, "v")) }))
	must(t, now.w.RunFor(10*time.Millisecond))
	if n := now.todoTotal(); n != 0 {
		t.Errorf("no delay: %d todo entries 10 ms after the write, want 0", n)
	}
}
