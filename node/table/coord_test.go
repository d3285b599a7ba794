package table

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// plainNet hides the driver's rt.Starter: calls fall back to one task each.
type plainNet struct{ rt.Net }

// storeRun writes and reads a few keys through a 3-node register store,
// with calls started natively or (plain) through a task each, and returns
// what the reads saw and the steps the run took.
func storeRun(t *testing.T, plain bool) ([]string, uint64) {
	w := sim.New(sim.Config{Seed: 9, Scenario: t.Name()})
	defer w.Close()
	ids := []rt.NodeID{"n1", "n2", "n3"}
	ring := &Ring{Nodes: ids, RF: 3}
	stores := map[rt.NodeID]*Store{}
	for _, id := range ids {
		w.AddNode(id, "z1", func(env rt.Env) {
			if plain {
				env.Net = plainNet{env.Net}
			}
			stores[id] = New(env, ring, Options{})
		})
	}
	must(t, w.RunFor(time.Second))
	var seen []string
	w.Go("client", func(ctx context.Context) {
		for i, op := range []string{"put", "get", "delete", "get", "put", "get"} {
			s, key := stores[ids[i%3]], fmt.Sprintf("k%d", i/2)
			seen = append(seen, storeOp(ctx, s, op, key, i))
		}
	})
	must(t, w.Run())
	return seen, w.Steps()
}

// storeOp performs op on key and renders its outcome.
func storeOp(ctx context.Context, s *Store, op, key string, i int) string {
	switch op {
	case "put":
		_, err := s.Put(ctx, key, []byte(fmt.Sprint("v", i)))
		return fmt.Sprint("put ", key, " ", err)
	case "delete":
		_, err := s.Delete(ctx, key)
		return fmt.Sprint("delete ", key, " ", err)
	}
	r, err := s.Get(ctx, key)
	return fmt.Sprintf("get %s %q deleted=%v %v", key, r.Value, r.Deleted, err)
}

// TestStoreStartedCalls checks that the store reads and writes the same
// with calls started by the driver as with a task per call, and that the
// started calls save scheduling steps.
func TestStoreStartedCalls(t *testing.T) {
	native, nSteps := storeRun(t, false)
	plain, pSteps := storeRun(t, true)
	want := []string{
		`put k0 <nil>`, `get k0 "v0" deleted=false <nil>`,
		`delete k1 <nil>`, `get k1 "" deleted=true <nil>`,
		`put k2 <nil>`, `get k2 "v4" deleted=false <nil>`,
	}
	for i := range want {
		if native[i] != want[i] || plain[i] != want[i] {
			t.Errorf("op %d: got %s (native), %s (plain); want %s", i, native[i], plain[i], want[i])
		}
	}
	if nSteps >= pSteps {
		t.Errorf("got %d steps started natively, %d with a task per call; want fewer natively", nSteps, pSteps)
	}
}

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

func TestMoveLast(t *testing.T) {
	nodes := []rt.NodeID{"a", "b", "c", "d"}
	sets := [][]int{{0, 1, 2}, {3, 0, 1}}
	moveLast(nodes, sets, "b")
	got, want := fmt.Sprint(nodes, sets), "[a d c b] [[0 3 2] [1 0 3]]"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
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
