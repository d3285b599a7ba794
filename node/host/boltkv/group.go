package boltkv

import (
	"bytes"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/gogarage/garage/node/rt"
)

// maxGroup bounds the updates committed together, so that one commit
// stays short whatever the number of writers.
const maxGroup = 64

// update is one Update call waiting in the commit queue.
type update struct {
	fn    func(tx rt.Tx) error
	err   error // fn's error, or the commit's
	fnErr bool  // err is fn's own, returned unchanged
	panic any   // what fn panicked with, re-raised in its caller
	lead  bool  // the caller commits the next group
	ready chan struct{}
}

// Update runs fn in a read-write transaction, committed if fn returns nil
// and discarded otherwise. It returns fn's error unchanged, or the commit
// error.
//
// Updates of concurrent callers are committed together (group commit):
// the first caller to find no commit under way commits the updates
// queued, its own first, in one bbolt transaction, while the next ones
// queue for the group after. Each fn runs once (or not at all, with an
// error, if the group's transaction fails before it), in the order of
// arrival, and sees the writes of the fns before it, as if the updates
// had been committed one after the other; each Update returns only once
// its group is committed (and, with Options.Fsync, synced), so an
// acknowledged update is exactly as durable as alone. An fn that fails
// or panics has its own writes undone from the group's transaction (a
// journal of the values it replaced) and the others commit.
func (db *DB) Update(fn func(tx rt.Tx) error) error {
	u := &update{fn: fn, ready: make(chan struct{})}
	db.mu.Lock()
	db.queue = append(db.queue, u)
	lead := !db.leading
	db.leading = true
	db.mu.Unlock()
	if !lead {
		<-u.ready
	}
	if lead || u.lead {
		db.commitNext(u)
	}
	if u.panic != nil {
		panic(u.panic)
	}
	return u.err
}

// commitNext commits the next group, which starts with self, then hands
// the lead to the first update queued meanwhile, if any. A panic of the
// commit itself fails the group's updates before it goes on.
func (db *DB) commitNext(self *update) {
	db.mu.Lock()
	n := min(len(db.queue), maxGroup)
	group := db.queue[:n:n]
	db.queue = db.queue[n:]
	db.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			setErr(group, fmt.Errorf("commit to metadata db %s: panic: %v", db.path, p))
			db.handOff(group, self)
			panic(p)
		}
	}()
	db.commit(group)
	db.handOff(group, self)
}

// handOff wakes the updates of group but self, then gives the lead to
// the first update queued, or releases it.
func (db *DB) handOff(group []*update, self *update) {
	for _, u := range group {
		if u != self {
			close(u.ready)
		}
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if len(db.queue) == 0 {
		db.leading = false
		return
	}
	next := db.queue[0]
	next.lead = true
	close(next.ready)
}

// commit runs the fns of group in one transaction and commits it,
// setting each update's outcome. A transaction no fn wrote to is rolled
// back: there is nothing to commit or sync.
func (db *DB) commit(group []*update) {
	tx, err := db.bolt.Begin(true)
	if err != nil {
		setErr(group, fmt.Errorf("begin metadata transaction on %s: %w", db.path, err))
		return
	}
	// Released however commit ends, a panic included (then the next
	// group can begin); after Commit it is a no-op.
	defer func() { _ = tx.Rollback() }()
	wrote := false
	for _, u := range group {
		w, err := run(tx, u, len(group) > 1)
		if err != nil {
			setErr(group, fmt.Errorf("metadata db %s: undo of a failed update: %w", db.path, err))
			return
		}
		wrote = wrote || w
	}
	if !wrote {
		return
	}
	if err := tx.Commit(); err != nil {
		setErr(group, fmt.Errorf("commit to metadata db %s: %w", db.path, err))
	}
}

// setErr gives err to the updates of group whose fn succeeded.
func setErr(group []*update, err error) {
	for _, u := range group {
		if !u.fnErr && u.panic == nil {
			u.err = err
		}
	}
}

// run runs u's fn in tx and reports whether it left writes to commit.
// The writes of a failed or panicking fn are undone when journal is set
// (other fns share tx; an error means they could not be, and tx must be
// discarded); otherwise it leaves none, and tx is rolled back if no other
// fn wrote.
func run(tx *bbolt.Tx, u *update, journal bool) (wrote bool, err error) {
	jt := &journalTx{boltTx: boltTx{tx}, on: journal}
	defer func() {
		if p := recover(); p != nil {
			u.panic, wrote, err = p, false, jt.undo()
		}
	}()
	if ferr := u.fn(jt); ferr != nil {
		u.err, u.fnErr = ferr, true
		return false, jt.undo()
	}
	return jt.writes > 0, nil
}

// journalTx is a boltTx that remembers the value each write replaced, so
// that the writes of one fn can be undone within a shared transaction.
type journalTx struct {
	boltTx
	on      bool // journal the writes (else only count them)
	writes  int
	entries []journalEntry
}

type journalEntry struct {
	tree       string
	key, value []byte // value nil: the key was absent
}

var _ rt.Tx = (*journalTx)(nil)

// Put records the value replaced, then writes.
func (j *journalTx) Put(tree string, key, value []byte) error {
	if err := j.record(tree, key); err != nil {
		return err
	}
	return j.boltTx.Put(tree, key, value)
}

// Delete records the value removed, then deletes.
func (j *journalTx) Delete(tree string, key []byte) error {
	if err := j.record(tree, key); err != nil {
		return err
	}
	return j.boltTx.Delete(tree, key)
}

func (j *journalTx) record(tree string, key []byte) error {
	j.writes++
	if !j.on {
		return nil
	}
	old, err := j.boltTx.Get(tree, key)
	if err != nil {
		return err
	}
	if old != nil {
		old = bytes.Clone(old)
		if old == nil {
			old = []byte{}
		}
	}
	j.entries = append(j.entries, journalEntry{tree: tree, key: bytes.Clone(key), value: old})
	return nil
}

// undo restores, newest first, the values the writes replaced. It
// returns an error if one cannot be restored, in which case the whole
// transaction must be discarded. Trees created by the writes stay, empty,
// which rt.Tx cannot tell from absent.
func (j *journalTx) undo() error {
	if !j.on {
		return nil
	}
	for i := len(j.entries) - 1; i >= 0; i-- {
		e := j.entries[i]
		var err error
		if e.value == nil {
			err = j.boltTx.Delete(e.tree, e.key)
		} else {
			err = j.boltTx.Put(e.tree, e.key, e.value)
		}
		if err != nil {
			return err
		}
	}
	j.entries = nil
	return nil
}
