package table

import (
	"reflect"
	"slices"
	"testing"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

func TestShardingOf(t *testing.T) {
	st := newStaticFor(t, 5)
	sh := st.For("n1").Sharding()
	if sh.Version != 1 || sh.Bits != 8 || len(sh.Parts) != 256 {
		t.Fatalf("sharding: version %d, bits %d, %d parts", sh.Version, sh.Bits, len(sh.Parts))
	}
	for p, part := range sh.Parts {
		if len(part.Sets) != 1 || len(part.Sets[0]) != 3 {
			t.Fatalf("partition %d: sets %v, want one of 3 nodes", p, part.Sets)
		}
	}
	before := sh.Fingerprint()
	must(t, st.Update(moveN1ToN6))
	after := st.For("n1").Sharding()
	if after.Fingerprint() == before {
		t.Error("fingerprint unchanged by a new layout version")
	}
	moved := 0
	for _, part := range after.Parts {
		if len(part.Sets) != 2 {
			t.Fatalf("during the transition: %d sets, want 2", len(part.Sets))
		}
		if part.Holds("n1") && part.Holds("n6") {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no partition moved from n1 to n6")
	}
}

func TestFullSharding(t *testing.T) {
	nodes := []rt.NodeID{"b", "a", "c"}
	sh := FullSharding(4, nodes)
	for _, k := range []string{"x", "y", "z"} {
		got := sh.PartOf(blake(k)).Nodes()
		if want := []rt.NodeID{"a", "b", "c"}; !slices.Equal(got, want) {
			t.Errorf("nodes of %q: %v, want %v", k, got, want)
		}
	}
	if (Sharding{}).PartOf(blake("x")).Holds("a") {
		t.Error("an empty sharding places a key")
	}
}

func newStaticFor(t *testing.T, n int) *Static {
	h, err := layout.NewHistory(3, layout.DefaultPartitionBits)
	must(t, err)
	for i := range n {
		id := rt.NodeID("n" + string(rune('1'+i)))
		must(t, h.Assign(id, layout.StorageRole(string(rune('a'+i%3)), 1e12), 1))
	}
	_, err = h.Apply(1, 2)
	must(t, err)
	return NewStatic(h, Consistent)
}

func TestFuncs(t *testing.T) {
	var done []uint64
	f := Funcs{Replication: fixed{nodes: []rt.NodeID{"a", "b", "c"}},
		Shard: func() Sharding { return FullSharding(3, []rt.NodeID{"a"}) },
		Done:  func(v uint64) { done = append(done, v) }}
	f.SyncDone(f.Sharding().Version)
	if !slices.Equal(done, []uint64{3}) || f.ReadQuorum() != 2 {
		t.Fatalf("done %v, read quorum %d", done, f.ReadQuorum())
	}
	if len((Funcs{}).Sharding().Parts) != 0 {
		t.Fatal("nil Shard gives partitions")
	}
}

// TestShardingMemo checks the memo of a snapshot's partitions: every
// node's memoised anti-entropy assignments equal the ones computed
// without it, also after WithVersion, and the fingerprint still tells
// versions and placements apart.
func TestShardingMemo(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 1, nodes: 5})
	sh := c.st.For("n1").Sharding()
	if sh.memo == nil {
		t.Fatal("a cluster snapshot has no memo")
	}
	compared := 0
	for _, s := range []Sharding{sh, sh.WithVersion(sh.Version + 1)} {
		for _, id := range c.ids {
			tab := c.tabs[id]
			raw := s
			raw.memo = nil
			wantPeers, wantOff := tab.computeAssignments(raw)
			for range 2 { // computed, then memoised
				peers, off := tab.assignments(s)
				if !reflect.DeepEqual(peers, wantPeers) || !slices.Equal(off, wantOff) {
					t.Fatalf("%s: memoised assignments %v / %v, want %v / %v", id, peers, off, wantPeers, wantOff)
				}
			}
			compared += min(len(wantPeers), 1) + min(len(wantOff), 1)
		}
	}
	if compared < len(c.ids) { // every node has peers, and some offload
		t.Fatalf("the check compared only %d non-empty results", compared)
	}
	raw := sh
	raw.memo, raw.fp = nil, nil
	if raw.Fingerprint() != sh.Fingerprint() {
		t.Error("the fingerprint depends on the memo")
	}
	if sh.WithVersion(sh.Version+1).Fingerprint() == sh.Fingerprint() {
		t.Error("the fingerprint ignores the version")
	}
	moved := sh
	moved.Parts = slices.Clone(sh.Parts)
	moved.Parts[0].Sets = [][]rt.NodeID{{"n1", "n2", "n9"}}
	moved.memo, moved.fp = nil, nil
	if moved.Fingerprint() == sh.Fingerprint() {
		t.Error("the fingerprint ignores the placement")
	}
}
