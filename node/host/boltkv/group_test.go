package boltkv

import (
	"errors"
	"fmt"
	"path/filepath"
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

// TestGroupInvalidWriteFails checks that in a group an update whose
// write bbolt refuses (after a valid one) fails with that error and
// leaves nothing, while the others commit.
func TestGroupInvalidWriteFails(t *testing.T) {
	db := openTemp(t, Options{Fsync: true})
	bad := func(tree, key string) func(rt.Tx) error {
		return func(tx rt.Tx) error {
			if err := tx.Put("t", []byte("side-"+tree+key[:min(len(key), 3)]), []byte("effect")); err != nil {
				return err
			}
			return tx.Put(tree, []byte(key), []byte("v"))
		}
	}
	errs, panics := grouped(t, db, put("a", "A"),
		bad("t", ""), put("b", "B"), bad("", "k"), bad("t", string(make([]byte, 40000))), put("c", "C"))
	for i, want := range []bool{true, false, true, true, false} {
		if panics[i] != nil || (errs[i] != nil) != want {
			t.Errorf("update %d: error %v, panic %v; want an error: %v", i, errs[i], panics[i], want)
		}
	}
	for k, v := range map[string]string{"a": "A", "b": "B", "c": "C"} { //det:ok test
		if got := getCopy(t, db, "t", k); string(got) != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	n := 0
	if err := db.View(func(tx rt.ReadTx) error {
		return tx.Scan("t", []byte("side"), []byte("sidf"), false, func(k, v []byte) bool { n++; return true })
	}); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d side effects of failed updates left behind", n)
	}
}

// TestGroupLeaderPanics checks that when the fn of the update leading the
// commits panics, the panic reaches its caller and the updates queued
// behind it still commit.
func TestGroupLeaderPanics(t *testing.T) {
	db := openTemp(t, Options{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	var leaderPanic any
	wg.Go(func() {
		defer func() { leaderPanic = recover() }()
		_ = db.Update(func(tx rt.Tx) error {
			<-release
			_ = tx.Put("t", []byte("lead"), []byte("x"))
			panic("lead boom")
		})
	})
	for !leading(db) {
		time.Sleep(time.Millisecond)
	}
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = db.Update(put(fmt.Sprint("k", i), "v")) })
	}
	for queued(db) != len(errs) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if leaderPanic != "lead boom" {
		t.Errorf("leader's caller recovered %v, want its fn's panic", leaderPanic)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued update %d: %v", i, err)
		}
		if got := getCopy(t, db, "t", fmt.Sprint("k", i)); string(got) != "v" {
			t.Errorf("queued update %d: k%d = %q, want v", i, i, got)
		}
	}
	if got := getCopy(t, db, "t", "lead"); got != nil {
		t.Errorf("the panicking update left lead = %q", got)
	}
	if leading(db) || queued(db) != 0 {
		t.Errorf("after all updates returned: leading %v, %d queued; want no lead, none queued", leading(db), queued(db))
	}
}

// TestUpdateAfterCloseFails checks that an update of a closed database
// returns an error, and that the lead is released so the next one does
// too rather than hang.
func TestUpdateAfterCloseFails(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "db"), Options{Fsync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := db.Update(put("k", "v")); err == nil {
			t.Errorf("update %d of a closed db succeeded", i)
		}
	}
}
