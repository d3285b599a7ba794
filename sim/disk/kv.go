package disk

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// kv is the sim metadata engine. current holds every committed write;
// durable what survives a crash; log the committed writes not yet synced,
// in order.
type kv struct {
	d       *Disk
	current forest
	durable forest
	log     []op
	inTx    bool
}

var _ rt.KV = (*kv)(nil)

func newKV(d *Disk) *kv { return &kv{d: d, current: forest{}, durable: forest{}} }

// View runs fn in a read-only transaction.
func (k *kv) View(fn func(tx rt.ReadTx) error) error {
	if err := k.d.fault("view"); err != nil {
		return err
	}
	k.enter()
	defer k.leave()
	return fn(&txn{kv: k})
}

// Update runs fn in a read-write transaction. Its writes apply to the
// current state as they are made and are undone if fn fails; on success
// they join the unsynced log (or are synced at once with SyncOnCommit).
func (k *kv) Update(fn func(tx rt.Tx) error) error {
	if err := k.d.fault("update"); err != nil {
		return err
	}
	k.enter()
	defer k.leave()
	tx := &txn{kv: k, write: true}
	if err := runTx(fn, tx); err != nil {
		tx.rollback()
		return err
	}
	k.log = append(k.log, tx.ops...)
	if k.d.opts.SyncOnCommit {
		k.sync()
	}
	return nil
}

// runTx runs fn, undoing the transaction if fn panics.
func runTx(fn func(tx rt.Tx) error, tx *txn) (err error) {
	ok := false
	defer func() {
		if !ok {
			tx.rollback()
		}
	}()
	err = fn(tx)
	ok = true
	return err
}

// Sync makes every committed write durable.
func (k *kv) Sync() error {
	if err := k.d.fault("sync"); err != nil {
		return err
	}
	k.sync()
	return nil
}

func (k *kv) sync() {
	for _, o := range k.log {
		k.durable.apply(o)
	}
	clear(k.log)
	k.log = k.log[:0]
}

// crash discards the unsynced writes.
func (k *kv) crash() {
	k.current = k.durable.clone()
	k.log = nil
}

func (k *kv) enter() {
	k.d.opts.Guard.Lock()
	if k.inTx {
		k.d.opts.Guard.Unlock()
		panic("sim/disk: nested KV transaction")
	}
	k.inTx = true
}

func (k *kv) leave() {
	k.inTx = false
	k.d.opts.Guard.Unlock()
}

// txn is a transaction; write transactions keep an undo log.
type txn struct {
	kv    *kv
	write bool
	ops   []op // redo, in order
	undo  []op // previous values, in order of change
}

var errTxDone = errors.New("sim/disk: transaction used after it ended")

// Get returns a copy of the value of key in tree, or nil.
func (t *txn) Get(name string, key []byte) ([]byte, error) {
	tr := t.kv.current.tree(name, false)
	if tr == nil {
		return nil, nil
	}
	return clone(tr.get(key)), nil
}

// Put sets key to a copy of value in tree, creating the tree if needed.
func (t *txn) Put(name string, key, value []byte) error {
	if !t.write {
		return fmt.Errorf("put %s: read-only transaction", name)
	}
	if value == nil {
		value = []byte{}
	}
	o := op{tree: name, key: clone(key), val: clone(value)}
	old := t.kv.current.tree(name, true).put(o.key, o.val)
	t.record(o, old)
	return nil
}

// Delete removes key from tree; a missing key is not an error.
func (t *txn) Delete(name string, key []byte) error {
	if !t.write {
		return fmt.Errorf("delete %s: read-only transaction", name)
	}
	tr := t.kv.current.tree(name, false)
	if tr == nil {
		return nil
	}
	o := op{tree: name, key: clone(key)}
	if old := tr.del(o.key); old != nil {
		t.record(o, old)
	}
	return nil
}

func (t *txn) record(o op, old []byte) {
	t.ops = append(t.ops, o)
	t.undo = append(t.undo, op{tree: o.tree, key: o.key, val: old})
}

// rollback restores the values changed by the transaction, newest first.
func (t *txn) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.kv.current.apply(t.undo[i])
	}
	t.undo, t.ops = nil, nil
}

// Scan visits [start, end) of tree in order. It re-seeks after each visit,
// so fn may write to the tree while scanning.
func (t *txn) Scan(name string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	next := t.above
	if reverse {
		next = t.below
	}
	var last []byte
	for {
		e, ok := next(name, start, end, last)
		if !ok {
			return nil
		}
		last = e.key
		if !fn(clone(e.key), clone(e.val)) {
			return nil
		}
	}
}

// above returns the first entry of [start, end) after last (from the
// start if last is nil).
func (t *txn) above(name string, start, end, last []byte) (entry, bool) {
	tr := t.kv.current.tree(name, false)
	if tr == nil {
		return entry{}, false
	}
	i := tr.search(start)
	if last != nil {
		i = tr.search(last)
		if i < len(tr.ents) && bytes.Equal(tr.ents[i].key, last) {
			i++
		}
	}
	if i >= len(tr.ents) || (end != nil && bytes.Compare(tr.ents[i].key, end) >= 0) {
		return entry{}, false
	}
	return tr.ents[i], true
}

// below returns the last entry of [start, end) before last (from the end
// if last is nil).
func (t *txn) below(name string, start, end, last []byte) (entry, bool) {
	tr := t.kv.current.tree(name, false)
	if tr == nil {
		return entry{}, false
	}
	bound := end
	if last != nil {
		bound = last
	}
	i := len(tr.ents) - 1
	if bound != nil {
		i = tr.search(bound) - 1
	}
	if i < 0 || (start != nil && bytes.Compare(tr.ents[i].key, start) < 0) {
		return entry{}, false
	}
	return tr.ents[i], true
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
