package merkle

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// memTx is a map-backed rt.Tx for tests.
type memTx map[string][]byte

func (m memTx) Get(tree string, key []byte) ([]byte, error) { return m[tree+"\x00"+string(key)], nil }
func (m memTx) Put(tree string, key, v []byte) error {
	m[tree+"\x00"+string(key)] = bytes.Clone(v)
	return nil
}
func (m memTx) Delete(tree string, key []byte) error { delete(m, tree+"\x00"+string(key)); return nil }

// Scan visits the whole tree in key order (start, end and reverse are
// not supported: Roots needs none).
func (m memTx) Scan(tree string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	if start != nil || end != nil || reverse {
		return fmt.Errorf("not implemented")
	}
	var keys []string
	for k := range m {
		if strings.HasPrefix(k, tree+"\x00") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !fn([]byte(k[len(tree)+1:]), m[k]) {
			return nil
		}
	}
	return nil
}

var _ rt.Tx = memTx(nil)

var trie = Trie{Tree: "m"}

// items is a reference model: key -> value hash.
type items map[string]Hash

func randItems(r *rand.Rand, n, keys int) items {
	it := items{}
	for range n {
		it[fmt.Sprint("k", r.IntN(keys))] = Sum([]byte{byte(r.IntN(3))})
	}
	return it
}

func build(t *testing.T, it items, order []string) memTx {
	tx := memTx{}
	for _, k := range order {
		h := it[k]
		if err := trie.Update(tx, 7, []byte(k), &h); err != nil {
			t.Fatal(err)
		}
	}
	return tx
}

func sortedKeys(it items) []string {
	ks := make([]string, 0, len(it))
	for k := range it {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func root(t *testing.T, tx memTx) Hash {
	h, err := trie.Root(tx, 7)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCanonical checks that the root depends only on the item set: a trie
// built with extra items inserted then removed, in a random order, equals
// one built directly, and the leaves are exactly the items.
func TestCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 300 {
		want := randItems(r, r.IntN(40), 60)
		extra := randItems(r, r.IntN(20), 60)
		direct := build(t, want, sortedKeys(want))
		tx := memTx{}
		ops := append(sortedKeys(want), sortedKeys(extra)...)
		r.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		for _, k := range ops {
			h, ok := want[k]
			if !ok {
				h = extra[k]
			}
			if err := trie.Update(tx, 7, []byte(k), &h); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range sortedKeys(extra) {
			if h, ok := want[k]; ok {
				_ = trie.Update(tx, 7, []byte(k), &h)
			} else if err := trie.Update(tx, 7, []byte(k), nil); err != nil {
				t.Fatal(err)
			}
		}
		if got, w := root(t, tx), root(t, direct); got != w {
			t.Fatalf("round %d: root %v, want %v", round, got, w)
		}
		if len(tx) != len(direct) {
			t.Fatalf("round %d: %d stored nodes, want %d", round, len(tx), len(direct))
		}
		checkLeaves(t, tx, want)
	}
}

func checkLeaves(t *testing.T, tx memTx, want items) {
	t.Helper()
	got := items{}
	if err := trie.Leaves(tx, 7, nil, func(n Node) bool { got[string(n.Key)] = n.Value; return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("leaves: got %d, want %d", len(got), len(want))
	}
	for k, h := range want {
		if got[k] != h {
			t.Fatalf("leaf %s: got %v, want %v", k, got[k], h)
		}
	}
}

func TestEmptyRootIsZero(t *testing.T) {
	tx := memTx{}
	h := Sum([]byte("v"))
	_ = trie.Update(tx, 7, []byte("a"), &h)
	if root(t, tx).IsZero() {
		t.Fatal("root of one item is zero")
	}
	_ = trie.Update(tx, 7, []byte("a"), nil)
	if got := root(t, tx); !got.IsZero() || len(tx) != 0 {
		t.Fatalf("after removal: root %v, %d nodes", got, len(tx))
	}
}

// TestRootsMatchRoot checks Roots against Root partition by partition:
// all zero for an empty trie, and equal once some partitions hold items.
func TestRootsMatchRoot(t *testing.T) {
	tx := memTx{}
	parts := []uint16{0, 3, 7, 9}
	check := func(when string) {
		t.Helper()
		got, err := trie.Roots(tx, parts)
		if err != nil || len(got) != len(parts) {
			t.Fatalf("%s: Roots = %d hashes, %v", when, len(got), err)
		}
		for i, p := range parts {
			want, err := trie.Root(tx, p)
			if err != nil || got[i] != want {
				t.Errorf("%s: partition %d: Roots %v, Root %v (%v)", when, p, got[i], want, err)
			}
		}
	}
	check("empty")
	for i, p := range []uint16{3, 7, 7} {
		h := Sum([]byte{byte(i)})
		if err := trie.Update(tx, p, []byte(fmt.Sprint("k", i)), &h); err != nil {
			t.Fatal(err)
		}
	}
	check("filled")
	if got, _ := trie.Roots(tx, parts); got[1].IsZero() || got[2].IsZero() || !got[0].IsZero() {
		t.Errorf("filled partitions 3 and 7 only, got roots %v", got)
	}
}

func fetcher(tx memTx) Fetch {
	return func(prefixes [][]byte) ([]Node, error) {
		out := make([]Node, len(prefixes))
		for i, p := range prefixes {
			n, err := trie.Get(tx, 7, p)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
}

// TestDiffEqualsBruteForce checks Diff against the set difference.
func TestDiffEqualsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 300 {
		a, b := randItems(r, r.IntN(50), 80), randItems(r, r.IntN(50), 80)
		push, pull, err := Diff(fetcher(build(t, a, sortedKeys(a))), fetcher(build(t, b, sortedKeys(b))))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strs(push), onlyIn(a, b); !slices.Equal(got, want) {
			t.Fatalf("round %d push: got %v, want %v", round, got, want)
		}
		if got, want := strs(pull), onlyIn(b, a); !slices.Equal(got, want) {
			t.Fatalf("round %d pull: got %v, want %v", round, got, want)
		}
	}
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	sort.Strings(out)
	return out
}

// onlyIn returns the keys of a that b lacks or holds with another hash.
func onlyIn(a, b items) []string {
	out := []string{}
	for _, k := range sortedKeys(a) {
		if h, ok := b[k]; !ok || h != a[k] {
			out = append(out, k)
		}
	}
	return out
}

func TestDecodeRejectsCorrupt(t *testing.T) {
	for _, b := range [][]byte{{9}, {1, 2}, {2, 1}, append([]byte{2, 16}, make([]byte, 32)...)} {
		if _, err := Decode(b); err == nil {
			t.Errorf("Decode(%x) accepted corrupt input", b)
		}
	}
	n := Node{Kind: Intermediate, Children: []Child{{1, Sum(nil)}, {4, Sum([]byte{1})}}}
	got, err := Decode(n.Encode(nil))
	if err != nil || got.Hash() != n.Hash() {
		t.Errorf("round trip: %+v, %v", got, err)
	}
}
