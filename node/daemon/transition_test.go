package daemon

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
)

// TestTransitionKeepsData adds a fourth node and removes the first while
// keys are stored: the transition must complete on every node (a single
// live version, driven by the table's anti-entropy) and every key must stay
// readable through the new node, whose own replica must hold every key.
func TestTransitionKeepsData(t *testing.T) {
	secret := testSecret(1)
	ds, cs := startCluster(t, 3, secret)
	assignAll(t, ds, cs[0])
	ctx := context.Background()
	for i, c := range cs { // a node that has not seen version 1 has no write set
		eventually(t, fmt.Sprintf("node %d has layout 1", i), func() error {
			h, err := c.Layout(ctx)
			if err == nil && h.Current().Number != 1 {
				err = fmt.Errorf("version %d", h.Current().Number)
			}
			return err
		})
	}
	const n = 50
	for i := range n {
		if _, err := cs[i%3].Put(ctx, fmt.Sprintf("k%d", i), "", []byte(fmt.Sprintf("v%d", i))); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	boot := string(ds[0].ID()) + "@" + ds[0].Addr()
	d4 := startDaemon(t, testConfig(t, t.TempDir(), secret, boot))
	c4 := dialDaemon(t, d4, secret)
	eventually(t, "node 4 sees 4 nodes up", func() error {
		st, err := c4.Status(ctx)
		if err == nil && len(upNodes(st)) != 4 {
			err = fmt.Errorf("up: %v", upNodes(st))
		}
		return err
	})
	req := garage.StageRequest{Roles: []garage.RoleChange{{Node: ds[0].ID(), Remove: true},
		{Node: d4.ID(), Role: layout.StorageRole("z0", 1e9)}}}
	if err := cs[1].Stage(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := cs[1].Apply(ctx, 2); err != nil {
		t.Fatal(err)
	}
	for i, c := range append(cs, c4) {
		eventually(t, fmt.Sprintf("node %d ends the transition", i), func() error {
			h, err := c.Layout(ctx)
			if err == nil && (h.Current().Number != 2 || h.InTransition()) {
				err = fmt.Errorf("version %d, %d live", h.Current().Number, len(h.Versions))
			}
			return err
		})
	}
	for i := range n { // before any read, which could repair node 4
		b, err := d4.Node().KV().LocalCopy(fmt.Sprintf("k%d", i), "")
		if err != nil || !bytes.HasSuffix(b, []byte(fmt.Sprintf("v%d", i))) {
			t.Errorf("node 4's own replica of k%d: got %q, %v; want it synced", i, b, err)
		}
	}
	for i := range n {
		got, err := c4.Get(ctx, fmt.Sprintf("k%d", i), "")
		if want := fmt.Sprintf("v%d", i); err != nil || string(got.Value) != want {
			t.Errorf("get k%d after the transition: got %q, %v; want %q", i, got.Value, err, want)
		}
	}
}
