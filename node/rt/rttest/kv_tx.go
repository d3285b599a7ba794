package rttest

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

func kvTreesIsolated(t *testing.T, kv rt.KV) {
	// Names chosen so that an engine joining tree and key with a separator
	// ("a" + "/" + "b/c" = "a/b" + "/" + "c") would mix them up.
	put(t, kv, "a", []byte("b/c"), []byte("tree a"))
	put(t, kv, "a/b", []byte("c"), []byte("tree a/b"))
	put(t, kv, "ab", []byte("c"), []byte("tree ab"))
	put(t, kv, "x", []byte("k"), []byte("in x"))
	put(t, kv, "y", []byte("k"), []byte("in y"))
	wantValue(t, kv, "a", []byte("b/c"), []byte("tree a"))
	wantValue(t, kv, "a/b", []byte("c"), []byte("tree a/b"))
	wantValue(t, kv, "a", []byte("bc"), nil)
	if got := scanKeys(t, kv, "a", nil, nil, false); !equalStrings(got, []string{"b/c"}) {
		t.Errorf("scan of tree a = %q, want only its own key", got)
	}
	if got := scanKeys(t, kv, "a/b", nil, nil, true); !equalStrings(got, []string{"c"}) {
		t.Errorf("reverse scan of tree a/b = %q, want only its own key", got)
	}
	err := kv.Update(func(tx rt.Tx) error { return tx.Delete("x", []byte("k")) })
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	wantValue(t, kv, "x", []byte("k"), nil)
	wantValue(t, kv, "y", []byte("k"), []byte("in y"))
}

func kvUpdateRollsBack(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("keep"), []byte("old"))
	put(t, kv, "t", []byte("gone"), []byte("old"))
	sentinel := errors.New("abort on purpose")
	err := kv.Update(func(tx rt.Tx) error {
		for _, op := range []error{
			tx.Put("t", []byte("keep"), []byte("new")),
			tx.Delete("t", []byte("gone")),
			tx.Put("t", []byte("added"), []byte("new")),
			tx.Put("newtree", []byte("k"), []byte("new")),
		} {
			if op != nil {
				t.Fatalf("write in tx: %v", op)
			}
		}
		return sentinel
	})
	if !errors.Is(err, sentinel) {
		t.Errorf("update error = %v, want it to wrap %v", err, sentinel)
	}
	wantValue(t, kv, "t", []byte("keep"), []byte("old"))
	wantValue(t, kv, "t", []byte("gone"), []byte("old"))
	wantValue(t, kv, "t", []byte("added"), nil)
	wantValue(t, kv, "newtree", []byte("k"), nil)
	if got := scanKeys(t, kv, "newtree", nil, nil, false); len(got) != 0 {
		t.Errorf("scan of tree created by an aborted tx = %q, want nothing", got)
	}
	put(t, kv, "t", []byte("after"), []byte("ok"))
	wantValue(t, kv, "t", []byte("after"), []byte("ok"))
}

func kvReadOwnWrites(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("a"), []byte("old"))
	put(t, kv, "t", []byte("b"), []byte("old"))
	err := kv.Update(func(tx rt.Tx) error {
		mustPut(t, tx, "t", "a", "new")
		mustPut(t, tx, "t", "c", "new")
		mustPut(t, tx, "fresh", "k", "v")
		if err := tx.Delete("t", []byte("b")); err != nil {
			return err
		}
		wantTx(t, tx, "t", "a", []byte("new"))
		wantTx(t, tx, "t", "b", nil)
		wantTx(t, tx, "t", "c", []byte("new"))
		wantTx(t, tx, "fresh", "k", []byte("v"))
		var got []string
		err := tx.Scan("t", nil, nil, false, func(k, v []byte) bool {
			got = append(got, string(k)+"="+string(v))
			return true
		})
		if want := []string{"a=new", "c=new"}; !equalStrings(got, want) {
			t.Errorf("scan inside the tx = %q, want %q", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
}

func mustPut(t *testing.T, tx rt.Tx, tree, k, v string) {
	t.Helper()
	if err := tx.Put(tree, []byte(k), []byte(v)); err != nil {
		t.Fatalf("put %s/%s: %v", tree, k, err)
	}
}

func wantTx(t *testing.T, tx rt.ReadTx, tree, k string, want []byte) {
	t.Helper()
	got, err := tx.Get(tree, []byte(k))
	if err != nil || (got == nil) != (want == nil) || !bytes.Equal(got, want) {
		t.Errorf("get %s/%s inside the tx = %s, %v; want %s", tree, k, show(got), err, show(want))
	}
}

func kvViewDuringUpdate(t *testing.T, kv rt.KV) {
	put(t, kv, "t", []byte("a"), []byte("committed"))
	err := kv.Update(func(tx rt.Tx) error {
		mustPut(t, tx, "t", "a", "pending")
		mustPut(t, tx, "t", "b", "pending")
		wantValue(t, kv, "t", []byte("a"), []byte("committed"))
		wantValue(t, kv, "t", []byte("b"), nil)
		if got := scanKeys(t, kv, "t", nil, nil, false); !equalStrings(got, []string{"a"}) {
			t.Errorf("scan in a View during an Update = %q, want only committed keys", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	wantValue(t, kv, "t", []byte("a"), []byte("pending"))
	wantValue(t, kv, "t", []byte("b"), []byte("pending"))
}

func kvPutCopies(t *testing.T, kv rt.KV) {
	key, val := []byte("key1"), []byte("value1")
	err := kv.Update(func(tx rt.Tx) error {
		if err := tx.Put("t", key, val); err != nil {
			return err
		}
		copy(key, "KEY2")
		copy(val, "VALUE2")
		wantTx(t, tx, "t", "key1", []byte("value1"))
		wantTx(t, tx, "t", "KEY2", nil)
		return nil
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	copy(val, "VALUE3")
	wantValue(t, kv, "t", []byte("key1"), []byte("value1"))
	wantValue(t, kv, "t", []byte("KEY2"), nil)
	got := get(t, kv, "t", []byte("key1"))
	copy(got, "xxxxxx")
	wantValue(t, kv, "t", []byte("key1"), []byte("value1"))
}

func kvLargeValue(t *testing.T, kv rt.KV) {
	big := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	put(t, kv, "t", []byte("big"), big)
	put(t, kv, "t", []byte("small"), []byte("s"))
	wantValue(t, kv, "t", []byte("big"), big)
	half := big[:len(big)/2]
	put(t, kv, "t", []byte("big"), half)
	wantValue(t, kv, "t", []byte("big"), half)
	wantValue(t, kv, "t", []byte("small"), []byte("s"))
}
