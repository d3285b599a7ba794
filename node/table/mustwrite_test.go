package table

import (
	"context"
	"testing"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// selfWriter is a layout whose writes also wait for node self.
type selfWriter struct {
	Layout
	self rt.NodeID
}

func (s selfWriter) MustWrite() []rt.NodeID { return []rt.NodeID{s.self} }

// TestMustWriteWaitsForTheNamedNode: with n1's commits failing, a write
// reaches its quorum on the two other replicas; a layout that names n1 in
// MustWrite makes n1's own write fail instead of returning before n1 holds
// the entry (which a local read would then miss).
func TestMustWriteWaitsForTheNamedNode(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 11, nodes: 3, wrap: func(st *Static, l Layout) Layout {
		return selfWriter{Layout: l, self: l.(*staticView).self}
	}})
	plain := newCluster(t, clusterOpts{seed: 11, nodes: 3})
	for _, x := range []*cluster{c, plain} {
		x.w.Arm("n1", fail.MetaCommitBefore, sim.FaultSpec{Prob: 1, Value: fail.Err("disk full")})
	}
	if err := plain.do(func(ctx context.Context) error { return plain.tabs["n1"].Insert(ctx, mkRow("k", "s", 1, "v")) }); err != nil {
		t.Fatalf("control: the plain write should reach its quorum without n1: %v", err)
	}
	if err := c.do(func(ctx context.Context) error { return c.tabs["n1"].Insert(ctx, mkRow("k", "s", 1, "v")) }); err == nil {
		t.Fatal("a write that must reach n1 succeeded while n1 could not commit it")
	}
	if err := c.do(func(ctx context.Context) error { return c.tabs["n2"].Insert(ctx, mkRow("k", "s", 2, "w")) }); err != nil {
		t.Fatalf("n2's write needs n2, not n1: %v", err)
	}
	c.w.Disarm("n1", fail.MetaCommitBefore)
	must(t, c.do(func(ctx context.Context) error { return c.tabs["n1"].Insert(ctx, mkRow("k", "s", 3, "x")) }))
	if r, ok, err := c.tabs["n1"].LocalGet([]byte("k"), []byte("s")); err != nil || !ok || r.Val() != "x" {
		t.Fatalf("n1 does not read its own write: %v %v %v", r, ok, err)
	}
}
