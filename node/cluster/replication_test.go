package cluster

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

func TestShardedQuorumsAndReadOrder(t *testing.T) {
	h := newHarness(t, 20, 5, func(c *Config) { c.AutoSync = true })
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	h.run(30 * time.Second) // RTT samples
	c := h.cs["n1"]
	for _, tc := range []struct {
		mode table.Mode
		r, w int
	}{{table.Consistent, 2, 2}, {table.Degraded, 1, 2}, {table.Dangerous, 1, 1}} {
		repl := Sharded(c, tc.mode)
		if repl.ReadQuorum() != tc.r || repl.WriteQuorum() != tc.w {
			t.Errorf("%v: R=%d W=%d, want %d %d", tc.mode, repl.ReadQuorum(), repl.WriteQuorum(), tc.r, tc.w)
		}
	}
	repl := Sharded(c, table.Consistent)
	hs := c.History()
	for i := range 100 {
		key := fmt.Appendf(nil, "key-%d", i)
		got := repl.ReadNodes(key)
		want := slices.Clone(hs.Current().NodesOfHash(KeyHash(key)))
		if !sameSet(got, want) {
			t.Fatalf("ReadNodes(%s) = %v, want the nodes %v", key, got, want)
		}
		checkReadOrder(t, got)
	}
}

// checkReadOrder checks n1's read order: n1 if present, then n4 (its zone
// mate, 0.5 ms away), then the others (100 ms away).
func checkReadOrder(t *testing.T, got []rt.NodeID) {
	t.Helper()
	i := 0
	for _, first := range []rt.NodeID{"n1", "n4"} {
		if slices.Contains(got, first) {
			if got[i] != first {
				t.Fatalf("read order %v: %s should be at %d", got, first, i)
			}
			i++
		}
	}
}

func TestFullReplication(t *testing.T) {
	h := newHarness(t, 21, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n2"]
	full := Full(c)
	if sets := full.WriteSets(nil); len(sets) != 1 || len(sets[0]) != 0 {
		t.Errorf("WriteSets without a layout = %v, want one empty set", sets)
	}
	h.do(func(context.Context) {
		for i, id := range h.ids[:4] {
			if err := c.StageRole(id, layout.StorageRole(zoneOf(i+1), 100*gb)); err != nil {
				t.Error(err)
			}
		}
		if err := c.StageRole("n5", layout.GatewayRole("dc2")); err != nil {
			t.Error(err)
		}
		if _, err := c.Apply(1); err != nil {
			t.Error(err)
		}
	})
	if got := full.ReadNodes([]byte("k")); !slices.Equal(got, []rt.NodeID{"n2"}) || full.ReadQuorum() != 1 {
		t.Errorf("ReadNodes = %v R=%d, want [n2] and 1", got, full.ReadQuorum())
	}
	if sets := full.WriteSets([]byte("k")); len(sets) != 1 || len(sets[0]) != 5 || full.WriteQuorum() != 4 {
		t.Errorf("WriteSets = %v W=%d, want every node (gateway included) and 4", sets, full.WriteQuorum())
	}
}

func TestShardedWithoutLayoutRefusesWrites(t *testing.T) {
	h := newHarness(t, 22, 3, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	repl := Sharded(h.cs["n1"], table.Consistent)
	if sets := repl.WriteSets([]byte("k")); len(sets) != 1 || len(sets[0]) != 0 {
		t.Errorf("WriteSets without a layout = %v, want one empty set", sets)
	}
	if got := repl.ReadNodes([]byte("k")); len(got) != 0 {
		t.Errorf("ReadNodes without a layout = %v", got)
	}
}

func TestKeyHashIsBlake2b(t *testing.T) {
	// BLAKE2b-256 of the empty string.
	const want = "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
	h := KeyHash(nil)
	if got := fmt.Sprintf("%x", h[:]); got != want {
		t.Errorf("KeyHash(nil) = %s, want %s", got, want)
	}
}
