package boltkv

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
)

// openTemp opens a fresh database in a temporary directory, closed when the
// test ends.
func openTemp(t testing.TB, opts Options) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "meta", "db"), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		name := map[bool]string{false: "nosync", true: "fsync"}[fsync]
		t.Run(name, func(t *testing.T) {
			rttest.TestKV(t, func(t *testing.T) rt.KV { return openTemp(t, Options{Fsync: fsync}) })
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "db")
		db, err := Open(path, Options{Fsync: fsync})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		mustUpdate(t, db, func(tx rt.Tx) error { return tx.Put("t", []byte("k"), []byte("v")) })
		mustUpdate(t, db, func(tx rt.Tx) error { return tx.Put("u", []byte("k2"), nil) })
		if err := db.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
		db, err = Open(path, Options{Fsync: fsync})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		got, got2 := getCopy(t, db, "t", "k"), getCopy(t, db, "u", "k2")
		if string(got) != "v" || got2 == nil || len(got2) != 0 {
			t.Errorf("fsync=%v: after reopen got %q, %v; want \"v\", empty", fsync, got, got2)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
}

func mustUpdate(t testing.TB, db *DB, fn func(tx rt.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func getCopy(t testing.TB, db *DB, tree, key string) []byte {
	t.Helper()
	var got []byte
	err := db.View(func(tx rt.ReadTx) error {
		v, err := tx.Get(tree, []byte(key))
		if v != nil {
			got = append([]byte{}, v...)
		}
		return err
	})
	if err != nil {
		t.Fatalf("get %s/%s: %v", tree, key, err)
	}
	return got
}

func TestInvalidWritesFailAndRollBack(t *testing.T) {
	db := openTemp(t, Options{})
	cases := []struct {
		name      string
		tree, key string
	}{
		{"empty key", "t", ""},
		{"empty tree", "", "k"},
		{"key too long", "t", string(make([]byte, 40000))},
	}
	for _, c := range cases {
		err := db.Update(func(tx rt.Tx) error {
			if err := tx.Put("t", []byte("side"), []byte("effect")); err != nil {
				return err
			}
			return tx.Put(c.tree, []byte(c.key), []byte("v"))
		})
		if err == nil {
			t.Errorf("%s: put succeeded, want an error", c.name)
		}
		if got := getCopy(t, db, "t", "side"); got != nil {
			t.Errorf("%s: failed tx left %q behind", c.name, got)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	db := openTemp(t, Options{})
	if _, err := Open(db.Path(), Options{LockTimeout: 50 * time.Millisecond}); err == nil {
		t.Errorf("second open of a locked file succeeded, want a timeout error")
	}
	file := filepath.Join(dir, "plainfile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(file, "db"), Options{}); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("open under a regular file = %v, want an error naming the path", err)
	}
	if _, err := Open(file, Options{LockTimeout: 50 * time.Millisecond}); err == nil {
		t.Errorf("open of a non-bbolt file succeeded, want an error")
	}
}

// TestConcurrentReadersSeeAtomicCommits runs writers that keep two keys
// equal and readers that must never see them differ.
func TestConcurrentReadersSeeAtomicCommits(t *testing.T) {
	db := openTemp(t, Options{})
	var wg sync.WaitGroup
	var torn atomic.Int64
	for w := range 2 {
		wg.Go(func() {
			for i := range 300 {
				v := []byte(strconv.Itoa(w*1000 + i))
				mustUpdate(t, db, func(tx rt.Tx) error {
					return errors.Join(tx.Put("a", []byte("k"), v), tx.Put("b", []byte("k"), v))
				})
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for range 2000 {
				if a, b := getPair(t, db); !bytes.Equal(a, b) {
					torn.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := torn.Load(); n != 0 {
		t.Errorf("readers saw %d torn commits", n)
	}
}

func getPair(t testing.TB, db *DB) (a, b []byte) {
	err := db.View(func(tx rt.ReadTx) error {
		va, err1 := tx.Get("a", []byte("k"))
		vb, err2 := tx.Get("b", []byte("k"))
		a, b = append([]byte{}, va...), append([]byte{}, vb...)
		return errors.Join(err1, err2)
	})
	if err != nil {
		t.Errorf("view: %v", err)
	}
	return a, b
}
