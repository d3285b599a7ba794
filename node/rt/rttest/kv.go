package rttest

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// TestKV runs the rt.KV conformance suite. open must return a fresh, empty
// store each time it is called; it registers its own cleanup with t.
func TestKV(t *testing.T, open func(t *testing.T) rt.KV) {
	cases := []struct {
		name string
		fn   func(t *testing.T, kv rt.KV)
	}{
		{"GetMissing", kvGetMissing},
		{"PutGet", kvPutGet},
		{"Overwrite", kvOverwrite},
		{"Delete", kvDelete},
		{"DeleteMissing", kvDeleteMissing},
		{"EmptyValueVsMissing", kvEmptyValue},
		{"BinaryKeys", kvBinaryKeys},
		{"ScanOrder", kvScanOrder},
		{"ScanBounds", kvScanBounds},
		{"ScanEarlyStop", kvScanEarlyStop},
		{"ScanMissingTree", kvScanMissingTree},
		{"TreesIsolated", kvTreesIsolated},
		{"UpdateErrorRollsBack", kvUpdateRollsBack},
		{"UpdateReadsOwnWrites", kvReadOwnWrites},
		{"ViewDuringUpdateSeesCommitted", kvViewDuringUpdate},
		{"ViewReturnsError", kvViewError},
		{"PutCopiesInput", kvPutCopies},
		{"LargeValue", kvLargeValue},
		{"ManyKeys", kvManyKeys},
		{"Sync", kvSync},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// put stores one key in its own transaction.
func put(t *testing.T, kv rt.KV, tree string, k, v []byte) {
	t.Helper()
	err := kv.Update(func(tx rt.Tx) error { return tx.Put(tree, k, v) })
	if err != nil {
		t.Fatalf("put %s/%x: %v", tree, k, err)
	}
}

// get reads one key in its own transaction and returns a copy that keeps
// the difference between nil (missing) and empty.
func get(t *testing.T, kv rt.KV, tree string, k []byte) []byte {
	t.Helper()
	var got []byte
	err := kv.View(func(tx rt.ReadTx) error {
		v, err := tx.Get(tree, k)
		got = clone(v)
		return err
	})
	if err != nil {
		t.Fatalf("get %s/%x: %v", tree, k, err)
	}
	return got
}

// clone copies b, mapping nil to nil and empty to non-nil empty.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func wantValue(t *testing.T, kv rt.KV, tree string, k, want []byte) {
	t.Helper()
	got := get(t, kv, tree, k)
	if (got == nil) != (want == nil) || !bytes.Equal(got, want) {
		t.Errorf("get %s/%x = %s, want %s", tree, k, show(got), show(want))
	}
}

// show renders a value, telling nil from empty and eliding big values.
func show(b []byte) string {
	switch {
	case b == nil:
		return "<nil>"
	case len(b) > 64:
		return "<" + strconv.Itoa(len(b)) + " bytes>"
	}
	return "\"" + string(b) + "\""
}

func kvGetMissing(t *testing.T, kv rt.KV) {
	wantValue(t, kv, "nosuchtree", []byte("k"), nil)
	put(t, kv, "t", []byte("a"), []byte("1"))
	for _, k := range []string{"0", "a0", "b", "\x00", "A"} {
		wantValue(t, kv, "t", []byte(k), nil)
	}
}

func kvPutGet(t *testing.T, kv rt.KV) {
	pairs := map[string]string{"a": "1", "b": "22", "longer key": "a longer value"}
	err := kv.Update(func(tx rt.Tx) error {
		for _, k := range sortedKeys(pairs) {
			if err := tx.Put("t", []byte(k), []byte(pairs[k])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	for _, k := range sortedKeys(pairs) {
		wantValue(t, kv, "t", []byte(k), []byte(pairs[k]))
	}
}

func kvOverwrite(t *testing.T, kv rt.KV) {
	for _, v := range []string{"first", "2nd", "a much longer third value", "4"} {
		put(t, kv, "t", []byte("k"), []byte(v))
		wantValue(t, kv, "t", []byte("k"), []byte(v))
	}
	if got := scanKeys(t, kv, "t", nil, nil, false); len(got) != 1 {
		t.Errorf("scan after overwrites = %q, want one key", got)
	}
}

func kvDelete(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("a"), []byte("1"))
	put(t, kv, "t", []byte("b"), []byte("2"))
	err := kv.Update(func(tx rt.Tx) error { return tx.Delete("t", []byte("a")) })
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	wantValue(t, kv, "t", []byte("a"), nil)
	wantValue(t, kv, "t", []byte("b"), []byte("2"))
	if got, want := scanKeys(t, kv, "t", nil, nil, false), []string{"b"}; !equalStrings(got, want) {
		t.Errorf("scan after delete = %q, want %q", got, want)
	}
	put(t, kv, "t", []byte("a"), []byte("again"))
	wantValue(t, kv, "t", []byte("a"), []byte("again"))
}

func kvDeleteMissing(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("a"), []byte("1"))
	err := kv.Update(func(tx rt.Tx) error {
		if err := tx.Delete("t", []byte("zz")); err != nil {
			return err
		}
		return tx.Delete("nosuchtree", []byte("a"))
	})
	if err != nil {
		t.Fatalf("delete of missing keys: %v, want nil", err)
	}
	wantValue(t, kv, "t", []byte("a"), []byte("1"))
}

func kvEmptyValue(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("empty"), []byte{})
	put(t, kv, "t", []byte("nil"), nil)
	wantValue(t, kv, "t", []byte("empty"), []byte{})
	wantValue(t, kv, "t", []byte("nil"), []byte{})
	wantValue(t, kv, "t", []byte("missing"), nil)
	err := kv.Update(func(tx rt.Tx) error {
		if err := tx.Put("t", []byte("intx"), nil); err != nil {
			return err
		}
		v, err := tx.Get("t", []byte("intx"))
		if err == nil && (v == nil || len(v) != 0) {
			t.Errorf("get of empty value inside its tx = %s, want empty", show(v))
		}
		return err
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	got := scanKeys(t, kv, "t", nil, nil, false)
	if want := []string{"empty", "intx", "nil"}; !equalStrings(got, want) {
		t.Errorf("scan = %q, want %q", got, want)
	}
}

func kvViewError(t *testing.T, kv rt.KV) {
	sentinel := errors.New("view failed on purpose")
	err := kv.View(func(rt.ReadTx) error { return sentinel })
	if !errors.Is(err, sentinel) {
		t.Errorf("view error = %v, want it to wrap %v", err, sentinel)
	}
}

func kvSync(t *testing.T, kv rt.KV) {
	if err := kv.Sync(); err != nil {
		t.Fatalf("sync of empty store: %v", err)
	}
	put(t, kv, "t", []byte("k"), []byte("v"))
	if err := kv.Sync(); err != nil {
		t.Fatalf("sync: %v", err)
	}
	if err := kv.Sync(); err != nil {
		t.Fatalf("second sync: %v", err)
	}
	wantValue(t, kv, "t", []byte("k"), []byte("v"))
}
