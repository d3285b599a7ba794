package disk

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/hashicorp/go-memdb"

	"github.com/gogarage/garage/node/rt"
)

// rowTable is the one memdb table: every key of every tree, one row each,
// under the primary index "id" = treePrefix(tree) + key.
const rowTable = "kv"

// row is one stored key. Rows are never mutated once inserted: memdb's
// snapshots share them.
type row struct {
	id  []byte // treePrefix(tree) + key
	key []byte // the key part of id
	val []byte
}

// rowID is the primary indexer: a row's id, or a ready-made id as the
// lookup argument.
type rowID struct{}

func (rowID) FromObject(raw any) (bool, []byte, error) { return true, raw.(*row).id, nil }

func (rowID) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("row id: %d arguments, want 1", len(args))
	}
	return args[0].([]byte), nil
}

func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		rowTable: {Name: rowTable, Indexes: map[string]*memdb.IndexSchema{
			"id": {Name: "id", Unique: true, Indexer: rowID{}},
		}},
	}}
}

// treePrefix appends the prefix of tree's ids to b: the name with each
// 0x00 escaped as 0x00 0xff, then 0x00 0x01. No prefix is a prefix of
// another, so trees never mix, and within a tree ids sort as keys do.
func treePrefix(b []byte, tree string) []byte {
	for i := range len(tree) {
		b = append(b, tree[i])
		if tree[i] == 0 {
			b = append(b, 0xff)
		}
	}
	return append(b, 0, 1)
}

// memKV is the sim metadata engine over go-memdb. db holds every committed
// write; durable is the snapshot taken at the last sync, which a crash
// restores. memdb's radix trees are immutable, so both are O(1).
type memKV struct {
	d       *Disk
	db      *memdb.MemDB
	durable *memdb.MemDB
	writes  int     // puts and deletes committed since the last sync
	ro      *memTxn // read transaction over the committed state; nil once stale
	inTx    bool
	scratch []byte // the id of a Get or Delete
}

var _ engine = (*memKV)(nil)

func newMemKV(d *Disk) *memKV {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		panic(fmt.Sprintf("sim/disk: memdb schema: %v", err))
	}
	// Work on a snapshot: snapshots do not track mutations for watchers,
	// which nothing here uses.
	db = db.Snapshot()
	return &memKV{d: d, db: db, durable: db.Snapshot()}
}

// View runs fn in a read-only transaction over the committed state. It
// may run inside an Update's fn and then does not see its writes.
func (k *memKV) View(fn func(tx rt.ReadTx) error) error {
	if err := k.d.fault("view"); err != nil {
		return err
	}
	if k.ro == nil {
		k.ro = &memTxn{kv: k, tx: k.db.Txn(false)}
	}
	return fn(k.ro)
}

// Update runs fn in a read-write memdb transaction, committed if fn
// returns nil; on success its writes are unsynced (or synced at once with
// SyncOnCommit). Updates are serialised by the Guard.
func (k *memKV) Update(fn func(tx rt.Tx) error) error {
	if err := k.d.fault("update"); err != nil {
		return err
	}
	k.enter()
	defer k.leave()
	t := &memTxn{kv: k, tx: k.db.Txn(true), write: true}
	defer t.tx.Abort() // releases memdb's writer lock if fn panics or fails
	if err := fn(t); err != nil {
		return err
	}
	t.tx.Commit()
	k.ro = nil
	k.writes += t.writes
	if k.d.opts.SyncOnCommit {
		k.sync()
	}
	return nil
}

// Sync makes every committed write durable.
func (k *memKV) Sync() error {
	if err := k.d.fault("sync"); err != nil {
		return err
	}
	k.sync()
	return nil
}

func (k *memKV) sync() {
	k.durable = k.db.Snapshot()
	k.writes = 0
}

// crash returns to the last synced snapshot.
func (k *memKV) crash() {
	k.db = k.durable.Snapshot()
	k.writes = 0
	k.ro = nil
}

func (k *memKV) unsynced() int { return k.writes }

func (k *memKV) enter() {
	k.d.opts.Guard.Lock()
	if k.inTx {
		k.d.opts.Guard.Unlock()
		panic("sim/disk: nested KV Update")
	}
	k.inTx = true
}

func (k *memKV) leave() {
	k.inTx = false
	k.d.opts.Guard.Unlock()
}

// memTxn is a transaction: a memdb one, and how many writes it made (a
// Scan re-seeks when its fn wrote).
type memTxn struct {
	kv     *memKV
	tx     *memdb.Txn
	write  bool
	writes int
}

// Get returns a copy of the value of key in tree, or nil.
func (t *memTxn) Get(tree string, key []byte) ([]byte, error) {
	k := t.kv
	k.scratch = append(treePrefix(k.scratch[:0], tree), key...)
	raw, err := t.tx.First(rowTable, "id", k.scratch)
	if err != nil || raw == nil {
		return nil, err
	}
	return clone(raw.(*row).val), nil
}

// Put sets key to a copy of value in tree.
func (t *memTxn) Put(tree string, key, value []byte) error {
	if !t.write {
		return fmt.Errorf("put %s: read-only transaction", tree)
	}
	id := append(treePrefix(make([]byte, 0, len(tree)+2+len(key)), tree), key...)
	r := &row{id: id, key: id[len(id)-len(key):], val: append(make([]byte, 0, len(value)), value...)}
	t.writes++
	return t.tx.Insert(rowTable, r)
}

// Delete removes key from tree; a missing key is not an error.
func (t *memTxn) Delete(tree string, key []byte) error {
	if !t.write {
		return fmt.Errorf("delete %s: read-only transaction", tree)
	}
	k := t.kv
	k.scratch = append(treePrefix(k.scratch[:0], tree), key...)
	t.writes++
	err := t.tx.Delete(rowTable, &row{id: k.scratch})
	if errors.Is(err, memdb.ErrNotFound) {
		return nil
	}
	return err
}

// Scan visits [start, end) of tree in order. A memdb iterator sees the
// transaction as it was when created, so the scan re-seeks after a visit
// in which fn wrote: later visits see those writes.
func (t *memTxn) Scan(tree string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	prefix := treePrefix(nil, tree)
	s := scan{t: t, prefix: prefix, start: start, end: end, fn: fn}
	if reverse {
		return s.backward()
	}
	return s.forward()
}

// scan is one Scan in progress.
type scan struct {
	t          *memTxn
	prefix     []byte
	start, end []byte
	fn         func(k, v []byte) bool
}

func (s *scan) forward() error {
	from := append(s.prefix[:len(s.prefix):len(s.prefix)], s.start...)
	for {
		it, err := s.t.tx.LowerBound(rowTable, "id", from)
		if err != nil {
			return err
		}
		last, more := s.visit(it, nil, func(r *row) bool {
			return bytes.HasPrefix(r.id, s.prefix) && (s.end == nil || bytes.Compare(r.key, s.end) < 0)
		})
		if !more {
			return nil
		}
		from = append(last[:len(last):len(last)], 0) // the least id above last
	}
}

func (s *scan) backward() error {
	from := append(s.prefix[:len(s.prefix)-1:len(s.prefix)-1], 2) // above every id of the tree
	var skip []byte
	if s.end != nil { // ReverseLowerBound includes its bound; end is excluded
		from = append(s.prefix[:len(s.prefix):len(s.prefix)], s.end...)
		skip = from
	}
	for {
		it, err := s.t.tx.ReverseLowerBound(rowTable, "id", from)
		if err != nil {
			return err
		}
		last, more := s.visit(it, skip, func(r *row) bool {
			return bytes.HasPrefix(r.id, s.prefix) && (s.start == nil || bytes.Compare(r.key, s.start) >= 0)
		})
		if !more {
			return nil
		}
		from, skip = last, last
	}
}

// visit calls fn on the rows of it, skipping the one whose id is skip,
// until in reports one out of range. It stops early, reporting the last id
// visited and more=true, when fn wrote.
func (s *scan) visit(it memdb.ResultIterator, skip []byte, in func(r *row) bool) (last []byte, more bool) {
	for raw := it.Next(); raw != nil; raw = it.Next() {
		r := raw.(*row)
		if skip != nil && bytes.Equal(r.id, skip) {
			continue
		}
		if !in(r) {
			return nil, false
		}
		writes := s.t.writes
		if !s.fn(clone(r.key), clone(r.val)) {
			return nil, false
		}
		if s.t.writes != writes {
			return r.id, true
		}
	}
	return nil, false
}
