package table

import (
	"fmt"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

func TestSelfLast(t *testing.T) {
	tests := []struct {
		nodes []rt.NodeID
		want  string
	}{
		{[]rt.NodeID{"a", "b", "c"}, "[b c a]"},
		{[]rt.NodeID{"b", "a", "c"}, "[b c a]"},
		{[]rt.NodeID{"b", "c", "a"}, "[b c a]"},
		{[]rt.NodeID{"b", "c"}, "[b c]"},
	}
	for _, tc := range tests {
		in := fmt.Sprint(tc.nodes)
		if got := fmt.Sprint(selfLast(tc.nodes, "a")); got != tc.want || fmt.Sprint(tc.nodes) != in {
			t.Errorf("selfLast(%s) = %s (input now %v), want %s (input unchanged)", in, got, tc.nodes, tc.want)
		}
	}
}

// TestIndexWriteSets checks the map-free path against indexSets.
func TestIndexWriteSets(t *testing.T) {
	for _, sets := range [][][]rt.NodeID{
		{{"a", "b", "c"}},
		{{"a", "b", "a"}},
		{{"a", "b"}, {"b", "c"}},
		{{"a"}},
	} {
		gotN, gotS := indexWriteSets(sets)
		wantN, wantS := indexSets(nil, map[rt.NodeID]int{}, sets)
		if got, want := fmt.Sprint(gotN, gotS), fmt.Sprint(wantN, wantS); got != want {
			t.Errorf("indexWriteSets(%v) = %s, want %s", sets, got, want)
		}
	}
}
