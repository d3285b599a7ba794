package boltkv

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// queued returns the number of updates waiting in db's commit queue.
func queued(db *DB) int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return len(db.queue)
}

// grouped runs first alone, holding the lead, until the updates of rest
// are all queued behind it; they then commit as one group. It returns
// the error of each update of rest and the value each panicked with.
func grouped(t *testing.T, db *DB, first func(rt.Tx) error, rest ...func(rt.Tx) error) ([]error, []any) {
	t.Helper()
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := db.Update(func(tx rt.Tx) error { <-release; return first(tx) }); err != nil {
			t.Errorf("first update: %v", err)
		}
	})
	for queued(db) != 0 || !leading(db) {
		time.Sleep(time.Millisecond)
	}
	errs, panics := make([]error, len(rest)), make([]any, len(rest))
	for i, fn := range rest {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = db.Update(fn)
		})
		for queued(db) != i+1 { // queued in this order
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()
	return errs, panics
}

func leading(db *DB) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.leading
}

func put(k, v string) func(rt.Tx) error {
	return func(tx rt.Tx) error { return tx.Put("t", []byte(k), []byte(v)) }
}

// TestGroupFailedUpdateUndone checks that in a group, an update whose fn
// fails (or panics) after writing leaves nothing (overwritten and
// deleted keys come back, new keys go) and gets its own error (or
// panic), while the updates around it commit and see each other.
func TestGroupFailedUpdateUndone(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		db := openTemp(t, Options{Fsync: fsync})
		mustUpdate(t, db, func(tx rt.Tx) error {
			return errors.Join(tx.Put("t", []byte("old"), []byte("1")), tx.Put("t", []byte("gone"), []byte("2")))
		})
		errBoom := errors.New("boom")
		spoil := func(tx rt.Tx) error {
			return errors.Join(tx.Put("t", []byte("old"), []byte("x")), tx.Delete("t", []byte("gone")),
				tx.Put("t", []byte("new"), []byte("x")), tx.Put("fresh-tree", []byte("k"), []byte("x")))
		}
		seen := ""
		errs, panics := grouped(t, db, put("a", "A"),
			put("b", "B"),
			func(tx rt.Tx) error { _ = spoil(tx); return errBoom },
			func(tx rt.Tx) error { _ = spoil(tx); panic("kaboom") },
			func(tx rt.Tx) error {
				v, _ := tx.Get("t", []byte("b"))
				seen = string(v)
				return put("c", "C")(tx)
			})
		if errs[0] != nil || errs[1] != errBoom || panics[2] != "kaboom" || errs[3] != nil || panics[0] != nil {
			t.Fatalf("fsync=%v: errors %v, panics %v; want nil, boom, (panic kaboom), nil", fsync, errs, panics)
		}
		if seen != "B" {
			t.Errorf("fsync=%v: a later update of the group saw b = %q, want B", fsync, seen)
		}
		want := map[string]string{"a": "A", "b": "B", "c": "C", "old": "1", "gone": "2"}
		for k, v := range want { //det:ok test
			if got := getCopy(t, db, "t", k); string(got) != v {
				t.Errorf("fsync=%v: %s = %q, want %q", fsync, k, got, v)
			}
		}
		if got := getCopy(t, db, "t", "new"); got != nil {
			t.Errorf("fsync=%v: new = %q, want absent (written by failed updates)", fsync, got)
		}
		if got := getCopy(t, db, "fresh-tree", "k"); got != nil {
			t.Errorf("fsync=%v: fresh-tree/k = %q, want absent", fsync, got)
		}
	}
}

// TestGroupCommitSerializable runs read-modify-write updates from many
// goroutines at once: none is lost, as if they ran one after the other.
func TestGroupCommitSerializable(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		db := openTemp(t, Options{Fsync: fsync})
		const writers, each = 16, 40
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					err := db.Update(func(tx rt.Tx) error {
						v, _ := tx.Get("t", []byte("n"))
						n := 0
						fmt.Sscan(string(v), &n)
						if err := tx.Put("t", []byte(fmt.Sprintf("w%d-%d", w, i)), nil); err != nil {
							return err
						}
						return tx.Put("t", []byte("n"), []byte(fmt.Sprint(n+1)))
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if got := string(getCopy(t, db, "t", "n")); got != fmt.Sprint(writers*each) {
			t.Errorf("fsync=%v: counter %s after %d increments", fsync, got, writers*each)
		}
	}
}
