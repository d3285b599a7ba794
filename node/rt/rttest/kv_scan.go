package rttest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// scanKeys returns the keys Scan visits, in visit order.
func scanKeys(t *testing.T, kv rt.KV, tree string, start, end []byte, reverse bool) []string {
	t.Helper()
	var got []string
	err := kv.View(func(tx rt.ReadTx) error {
		return tx.Scan(tree, start, end, reverse, func(k, _ []byte) bool {
			got = append(got, string(k))
			return true
		})
	})
	if err != nil {
		t.Fatalf("scan %s [%x, %x) reverse=%v: %v", tree, start, end, reverse, err)
	}
	return got
}

func putAll(t *testing.T, kv rt.KV, tree string, keys []string) {
	t.Helper()
	err := kv.Update(func(tx rt.Tx) error {
		for _, k := range keys {
			if err := tx.Put(tree, []byte(k), []byte("v:"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put %d keys into %s: %v", len(keys), tree, err)
	}
}

func kvScanOrder(t *testing.T, kv rt.KV) {
	keys := []string{"b", "a", "ab", "aa", "c", "B", "a\x00", "ba"}
	putAll(t, kv, "t", keys)
	want := slices.Sorted(slices.Values(keys))
	if got := scanKeys(t, kv, "t", nil, nil, false); !equalStrings(got, want) {
		t.Errorf("ascending scan = %q, want %q", got, want)
	}
	slices.Reverse(want)
	if got := scanKeys(t, kv, "t", nil, nil, true); !equalStrings(got, want) {
		t.Errorf("descending scan = %q, want %q", got, want)
	}
	err := kv.View(func(tx rt.ReadTx) error {
		return tx.Scan("t", nil, nil, false, func(k, v []byte) bool {
			if string(v) != "v:"+string(k) {
				t.Errorf("scan gives %q => %q, want value %q", k, v, "v:"+string(k))
			}
			return true
		})
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
}

// bound turns "" into a nil (unbounded) side.
func bound(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

func kvScanBounds(t *testing.T, kv rt.KV) {
	putAll(t, kv, "t", []string{"a", "b", "ba", "bb", "c", "d"})
	cases := []struct {
		start, end string // "" = nil
		want       []string
	}{
		{"", "", []string{"a", "b", "ba", "bb", "c", "d"}},
		{"b", "", []string{"b", "ba", "bb", "c", "d"}},
		{"", "c", []string{"a", "b", "ba", "bb"}},
		{"b", "c", []string{"b", "ba", "bb"}},
		{"b", "bb", []string{"b", "ba"}},
		{"b\x00", "bz", []string{"ba", "bb"}},
		{"0", "a", nil},
		{"a", "a", nil},
		{"c", "b", nil},
		{"e", "", nil},
		{"", "0", nil},
		{"d", "d\x00", []string{"d"}},
		{"\x00", "\xff", []string{"a", "b", "ba", "bb", "c", "d"}},
	}
	for _, c := range cases {
		got := scanKeys(t, kv, "t", bound(c.start), bound(c.end), false)
		if !equalStrings(got, c.want) {
			t.Errorf("scan [%q, %q) = %q, want %q", c.start, c.end, got, c.want)
		}
		rev := slices.Clone(c.want)
		slices.Reverse(rev)
		got = scanKeys(t, kv, "t", bound(c.start), bound(c.end), true)
		if !equalStrings(got, rev) {
			t.Errorf("reverse scan [%q, %q) = %q, want %q", c.start, c.end, got, rev)
		}
	}
}

func kvScanEarlyStop(t *testing.T, kv rt.KV) {
	putAll(t, kv, "t", []string{"a", "b", "c", "d", "e"})
	for _, reverse := range []bool{false, true} {
		var got []string
		err := kv.View(func(tx rt.ReadTx) error {
			return tx.Scan("t", nil, nil, reverse, func(k, _ []byte) bool {
				got = append(got, string(k))
				return len(got) < 3
			})
		})
		want := []string{"a", "b", "c"}
		if reverse {
			want = []string{"e", "d", "c"}
		}
		if err != nil || !equalStrings(got, want) {
			t.Errorf("scan stopping after 3 (reverse=%v) = %q, %v; want %q, nil", reverse, got, err, want)
		}
	}
}

func kvScanMissingTree(t *testing.T, kv rt.KV) {
	put(t, kv, "other", []byte("a"), []byte("1"))
	for _, reverse := range []bool{false, true} {
		if got := scanKeys(t, kv, "nosuchtree", nil, nil, reverse); len(got) != 0 {
			t.Errorf("scan of missing tree (reverse=%v) = %q, want nothing", reverse, got)
		}
	}
}

func kvBinaryKeys(t *testing.T, kv rt.KV) {
	keys := []string{"\x00", "\x00\x00", "\x00\xff", "\x01", "\x7f", "\x80",
		"\xff", "\xff\x00", "\xff\xff", "\xff\xff\xff", "a\x00b", "a"}
	err := kv.Update(func(tx rt.Tx) error {
		for i, k := range keys {
			if err := tx.Put("bin", []byte(k), []byte{byte(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put binary keys: %v", err)
	}
	for i, k := range keys {
		wantValue(t, kv, "bin", []byte(k), []byte{byte(i)})
	}
	want := slices.Sorted(slices.Values(keys))
	if got := scanKeys(t, kv, "bin", nil, nil, false); !equalStrings(got, want) {
		t.Errorf("scan of binary keys = %q, want %q", got, want)
	}
	got := scanKeys(t, kv, "bin", []byte("\x00\x00"), []byte("\xff\x00"), true)
	if want := []string{"\xff", "\x80", "\x7f", "a\x00b", "a", "\x01", "\x00\xff", "\x00\x00"}; !equalStrings(got, want) {
		t.Errorf("reverse scan [00 00, ff 00) = %q, want %q", got, want)
	}
}

// manyKeys returns n distinct binary keys (4-byte big-endian index plus a
// random tail) in a random order, and the same keys sorted.
func manyKeys(n int) (shuffled, sorted []string) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		k := binary.BigEndian.AppendUint32(nil, uint32(i)*7919%uint32(n)+uint32(r.IntN(2))<<24)
		k = append(k, byte(r.IntN(256)), byte(r.IntN(256)))
		shuffled = append(shuffled, string(k))
	}
	sorted = slices.Sorted(slices.Values(shuffled))
	sorted = slices.Compact(sorted)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	return shuffled, sorted
}

func kvManyKeys(t *testing.T, kv rt.KV) {
	const n = 10000
	keys, sorted := manyKeys(n)
	if len(sorted) != n {
		t.Fatalf("test bug: %d distinct keys, want %d", len(sorted), n)
	}
	for i := 0; i < n; i += 1000 {
		putAll(t, kv, "many", keys[i:i+1000])
	}
	if got := scanKeys(t, kv, "many", nil, nil, false); !equalStrings(got, sorted) {
		t.Errorf("ascending scan of %d keys: %s", n, firstDiff(got, sorted))
	}
	rev := slices.Clone(sorted)
	slices.Reverse(rev)
	if got := scanKeys(t, kv, "many", nil, nil, true); !equalStrings(got, rev) {
		t.Errorf("descending scan of %d keys: %s", n, firstDiff(got, rev))
	}
	lo, hi := sorted[1234], sorted[8765]
	if got := scanKeys(t, kv, "many", []byte(lo), []byte(hi), false); !equalStrings(got, sorted[1234:8765]) {
		t.Errorf("bounded scan: %s", firstDiff(got, sorted[1234:8765]))
	}
	for _, i := range []int{0, 1, 4999, n - 1} {
		wantValue(t, kv, "many", []byte(sorted[i]), []byte("v:"+sorted[i]))
	}
}

// firstDiff describes where two key lists first differ.
func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("key %d is %x, want %x", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("got %d keys, want %d", len(got), len(want))
}

func equalStrings(a, b []string) bool { return slices.Equal(a, b) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) })
	return keys
}
