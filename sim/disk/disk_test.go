package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// model is the obvious reference: maps of committed and durable values.
type model struct {
	current, durable map[string]string
}

func (m *model) scan(start, end string, reverse bool) []string {
	var keys []string
	for k := range m.current {
		if k >= start && (end == "" || k < end) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if reverse {
		slices.Reverse(keys)
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m.current[k]
	}
	return out
}

func scanAll(t *testing.T, kv rt.KV, start, end string, reverse bool) []string {
	var s, e []byte
	if start != "" {
		s = []byte(start)
	}
	if end != "" {
		e = []byte(end)
	}
	var out []string
	err := kv.View(func(tx rt.ReadTx) error {
		return tx.Scan("t", s, e, reverse, func(k, v []byte) bool {
			out = append(out, string(k)+"="+string(v))
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKVMatchesModel drives the engine and the model with the same random
// transactions, syncs and crashes, and compares scans after each step.
// Every other seed syncs on commit: a crash then loses nothing.
func TestKVMatchesModel(t *testing.T) {
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 1))
		keys := 20
		if seed%3 == 0 {
			keys = 3000 // several chunks per tree
		}
		randKey := func(r *rand.Rand) string { return fmt.Sprintf("k%04d", r.IntN(keys)) }
		d := New(Options{SyncOnCommit: seed%2 == 1})
		m := &model{current: map[string]string{}, durable: map[string]string{}}
		maxChunks := 0
		for step := range 200 {
			randomStep(t, r, d, m, randKey)
			if tr := d.kv.current.tree("t", false); tr != nil {
				maxChunks = max(maxChunks, len(tr.chunks))
			}
			start, end := randKey(r), randKey(r)
			if r.IntN(3) == 0 {
				end = ""
			}
			rev := r.IntN(2) == 0
			got, want := scanAll(t, d.KV(), start, end, rev), m.scan(start, end, rev)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("seed %d step %d: scan [%q,%q) rev=%v = %v, want %v", seed, step, start, end, rev, got, want)
			}
		}
		if keys > maxChunk && maxChunks < 2 {
			t.Errorf("seed %d: large key space never grew the tree past %d chunks", seed, maxChunks)
		}
	}
}

// randomStep performs one random transaction, sync or crash on both.
func randomStep(t *testing.T, r *rand.Rand, d *Disk, m *model, randKey func(*rand.Rand) string) {
	switch r.IntN(10) {
	case 0:
		must(t, d.KV().Sync())
		m.durable = maps(m.current)
	case 1:
		d.Crash()
		m.current = maps(m.durable)
	default:
		randomTx(t, r, d, m, randKey)
	}
}

func randomTx(t *testing.T, r *rand.Rand, d *Disk, m *model, randKey func(*rand.Rand) string) {
	next := maps(m.current)
	fail := r.IntN(4) == 0
	err := d.KV().Update(func(tx rt.Tx) error {
		for range 1 + r.IntN(4) + r.IntN(2)*r.IntN(keys(m)+1) {
			k := randKey(r)
			if r.IntN(3) == 0 {
				must(t, tx.Delete("t", []byte(k)))
				delete(next, k)
				continue
			}
			v := fmt.Sprint(r.IntN(1000))
			must(t, tx.Put("t", []byte(k), []byte(v)))
			next[k] = v
		}
		if fail {
			return errors.New("abort")
		}
		return nil
	})
	if (err != nil) != fail {
		t.Fatalf("update error %v, want failure=%v", err, fail)
	}
	if !fail {
		m.current = next
		if d.opts.SyncOnCommit {
			m.durable = maps(next)
		}
	}
}

// keys sizes the next transaction: big ones fill the large key spaces.
func keys(m *model) int { return min(len(m.current)/4+8, 400) }

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFilesCrash(t *testing.T) {
	d := New(Options{})
	f := d.Files()
	must(t, f.Write("a", []byte("synced"), true))
	must(t, f.Write("b", []byte("pending"), false))
	must(t, f.Write("a", []byte("overwritten"), false))
	if kv, files := d.Unsynced(); kv != 0 || files != 2 {
		t.Errorf("Unsynced = %d, %d; want 0, 2", kv, files)
	}
	d.Crash()
	tests := []struct {
		name, want string
		missing    bool
	}{{name: "a", want: "synced"}, {name: "b", missing: true}}
	for _, tc := range tests {
		got, err := f.Read(tc.name)
		if tc.missing != errors.Is(err, fs.ErrNotExist) || (!tc.missing && string(got) != tc.want) {
			t.Errorf("after crash %s = %q, %v; want %q (missing %v)", tc.name, got, err, tc.want, tc.missing)
		}
	}
}

func TestFailNextAndCorrupt(t *testing.T) {
	d := New(Options{})
	must(t, d.Files().Write("blk", []byte("abc"), true))
	d.FailNext(2, nil)
	_, err1 := d.Files().Read("blk")
	err2 := d.KV().Sync()
	_, err3 := d.Files().Read("blk")
	if !errors.Is(err1, ErrInjected) || !errors.Is(err2, ErrInjected) || err3 != nil {
		t.Errorf("FailNext(2): errors %v, %v, %v; want injected, injected, nil", err1, err2, err3)
	}
	if !d.Corrupt("blk", 1) {
		t.Fatal("Corrupt of an existing file reported false")
	}
	if got, _ := d.Files().Read("blk"); string(got) == "abc" || len(got) != 3 {
		t.Errorf("corrupted file reads %q", got)
	}
	if d.Corrupt("nope", 0) {
		t.Error("Corrupt of a missing file reported true")
	}
}

// TestValuesDoNotAlias checks that Put copies its caller's value: what
// Get returns afterwards is the store's own, read-only slice (as bbolt's).
func TestValuesDoNotAlias(t *testing.T) {
	d := New(Options{})
	v := []byte("value")
	must(t, d.KV().Update(func(tx rt.Tx) error { return tx.Put("t", []byte("k"), v) }))
	v[0] = 'X'
	must(t, d.KV().View(func(tx rt.ReadTx) error {
		got, _ := tx.Get("t", []byte("k"))
		if string(got) != "value" {
			t.Errorf("stored value changed through the caller's slice: %q", got)
		}
		return nil
	}))
}

// TestScanSeesWritesOfItsCallback checks the engine's promise that fn may
// write while scanning: a key it deletes ahead is not visited, a key it
// adds ahead is, in both directions.
func TestScanSeesWritesOfItsCallback(t *testing.T) {
	tests := []struct {
		reverse bool
		at      string // the key whose visit writes
		del     string // deleted ahead of the scan
		add     string // added ahead of the scan
		want    string
	}{
		{false, "a", "b", "c2", "[a c c2 d e]"},
		{true, "e", "d", "c0", "[e c0 c b a]"},
	}
	for _, tc := range tests {
		d := New(Options{})
		must(t, d.KV().Update(func(tx rt.Tx) error {
			for _, k := range []string{"a", "b", "c", "d", "e"} {
				must(t, tx.Put("t", []byte(k), nil))
			}
			return nil
		}))
		var got []string
		must(t, d.KV().Update(func(tx rt.Tx) error {
			return tx.Scan("t", nil, nil, tc.reverse, func(k, _ []byte) bool {
				got = append(got, string(k))
				if string(k) == tc.at {
					must(t, tx.Delete("t", []byte(tc.del)))
					must(t, tx.Put("t", []byte(tc.add), nil))
				}
				return true
			})
		}))
		if fmt.Sprint(got) != tc.want {
			t.Errorf("reverse=%v: scan visited %v, want %s", tc.reverse, got, tc.want)
		}
	}
}
