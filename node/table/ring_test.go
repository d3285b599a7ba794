package table

import (
	"slices"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// TestRingCacheMatchesRank checks that cached placements equal freshly
// ranked ones, across more keys than the cache holds (so it is dropped and
// refilled), asked twice in different orders.
func TestRingCacheMatchesRank(t *testing.T) {
	nodes := []rt.NodeID{"n1", "n2", "n3", "n4", "n5"}
	ring := &Ring{Nodes: nodes, RF: 3}
	n := ringCacheSize + ringCacheSize/2
	key := func(i int) []byte { return []byte{byte(i), byte(i >> 8), byte(i >> 16)} }
	for pass, order := range [][2]int{{0, 1}, {n - 1, -1}} {
		for i, j := 0, order[0]; i < n; i, j = i+1, j+order[1] {
			got, want := ring.ReadNodes(key(j)), rank(nodes, 3, key(j))
			if !slices.Equal(got, want) {
				t.Fatalf("pass %d, key %x: got %v, want %v", pass, key(j), got, want)
			}
		}
	}
	if len(ring.cache) > ringCacheSize {
		t.Errorf("cache holds %d placements, want at most %d", len(ring.cache), ringCacheSize)
	}
}

// TestRingPlacementCapped checks that appending to a returned placement
// cannot change the cached one.
func TestRingPlacementCapped(t *testing.T) {
	ring := &Ring{Nodes: []rt.NodeID{"a", "b", "c", "d"}, RF: 2}
	first := ring.ReadNodes([]byte("k"))
	_ = append(first, "x")
	if got := ring.WriteSets([]byte("k"))[0]; len(got) != 2 || cap(got) != 2 {
		t.Errorf("got placement %v (cap %d), want 2 nodes capped at 2", got, cap(got))
	}
}
