package disk

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// kv is the sim metadata engine. current holds every committed write;
// durable what survives a crash; log the committed writes not yet synced,
// in order. With SyncOnCommit every commit is durable at once: durable is
// then current itself, and a commit is applied once.
type kv struct {
	d       *Disk
	current *forest
	durable *forest
	log     []op
	inTx    bool
	ro      *txn // the read-only transaction: stateless, so shared
	rw      *txn // the read-write transaction, reused (one at a time)
}

var _ rt.KV = (*kv)(nil)

func newKV(d *Disk) *kv {
	k := &kv{d: d, current: newForest(), durable: newForest()}
	if d.opts.SyncOnCommit {
		k.durable = k.current
	}
	k.ro = &txn{kv: k}
	k.rw = &txn{kv: k, write: true, overlay: newForest()}
	return k
}

// View runs fn in a read-only transaction over the committed state. It
// may run inside an Update's fn and then does not see its writes.
func (k *kv) View(fn func(tx rt.ReadTx) error) error {
	if err := k.d.fault("view"); err != nil {
		return err
	}
	return fn(k.ro)
}

// Update runs fn in a read-write transaction. Its writes go to an overlay
// that only fn sees, applied to the committed state if fn returns nil; on
// success they join the unsynced log (or are synced at once with
// SyncOnCommit). Updates are serialised by the Guard.
func (k *kv) Update(fn func(tx rt.Tx) error) error {
	if err := k.d.fault("update"); err != nil {
		return err
	}
	k.enter()
	defer k.leave()
	tx := k.rw
	tx.reset()
	if err := fn(tx); err != nil {
		return err
	}
	if k.d.opts.SyncOnCommit {
		tx.each(k.current.apply) // durable too
		return nil
	}
	tx.each(func(o op) {
		k.current.apply(o)
		k.log = append(k.log, o)
	})
	return nil
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

// crash discards the unsynced writes (none with SyncOnCommit).
func (k *kv) crash() {
	if k.d.opts.SyncOnCommit {
		return
	}
	k.current = k.durable.clone()
	k.log = nil
}

func (k *kv) enter() {
	k.d.opts.Guard.Lock()
	if k.inTx {
		k.d.opts.Guard.Unlock()
		panic("sim/disk: nested KV Update")
	}
	k.inTx = true
}

func (k *kv) leave() {
	k.inTx = false
	k.d.opts.Guard.Unlock()
}

// txn is a transaction. A write transaction keeps its writes in overlay,
// where a nil value is a deletion.
type txn struct {
	kv      *kv
	write   bool
	overlay *forest
	dirty   []string // the names of the overlay's trees written since reset
}

// written returns the overlay's tree name, created if needed, noting it
// as written.
func (t *txn) written(name string) *tree {
	o := t.overlay.tree(name, true)
	if len(o.chunks) == 0 {
		t.dirty = append(t.dirty, name)
	}
	return o
}

// reset empties the overlay's written trees, keeping them for reuse.
func (t *txn) reset() {
	for _, name := range t.dirty {
		t.overlay.trees[name].reset()
	}
	t.dirty = t.dirty[:0]
}

// each calls fn with the overlay's entries as writes, trees by name, keys
// in order (a nil value is a deletion).
func (t *txn) each(fn func(o op)) {
	slices.Sort(t.dirty)
	for _, name := range t.dirty {
		for _, ch := range t.overlay.trees[name].chunks {
			for _, e := range ch {
				fn(op{tree: name, key: e.key, val: e.val})
			}
		}
	}
}

// Get returns the value of key in tree, or nil. As with bbolt, the slice
// is the store's own: the caller must not modify it (stored values are
// never modified in place, so it stays what it was).
func (t *txn) Get(name string, key []byte) ([]byte, error) {
	if o := t.overlay.tree(name, false); o != nil {
		if v, ok := o.lookup(key); ok {
			return v, nil
		}
	}
	tr := t.kv.current.tree(name, false)
	if tr == nil {
		return nil, nil
	}
	return tr.get(key), nil
}

// Put sets key to a copy of value in tree, creating the tree if needed.
func (t *txn) Put(name string, key, value []byte) error {
	if !t.write {
		return fmt.Errorf("put %s: read-only transaction", name)
	}
	if value == nil {
		value = []byte{}
	}
	t.written(name).put(cloneKV(key, value))
	return nil
}

// Delete removes key from tree; a missing key is not an error.
func (t *txn) Delete(name string, key []byte) error {
	if !t.write {
		return fmt.Errorf("delete %s: read-only transaction", name)
	}
	t.written(name).put(clone(key), nil)
	return nil
}

// Scan visits [start, end) of tree in order, merging the transaction's own
// writes. It re-seeks after each visit, so fn may write while scanning.
func (t *txn) Scan(name string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	var last []byte
	for {
		e, ok := t.next(name, start, end, last, reverse)
		if !ok {
			return nil
		}
		last = e.key
		if e.val == nil {
			continue // deleted in this transaction
		}
		if !fn(e.key, e.val) {
			return nil
		}
	}
}

// next returns the entry after last in scan order, from the overlay when
// both layers hold the key.
func (t *txn) next(name string, start, end, last []byte, reverse bool) (entry, bool) {
	base, bok := t.kv.current.tree(name, false).step(start, end, last, reverse)
	over, ook := t.overlay.tree(name, false).step(start, end, last, reverse)
	switch {
	case !ook:
		return base, bok
	case !bok:
		return over, true
	}
	c := bytes.Compare(over.key, base.key)
	if c == 0 || (c < 0) != reverse {
		return over, true
	}
	return base, true
}

// cloneKV copies key and value into one allocation.
func cloneKV(key, value []byte) ([]byte, []byte) {
	b := make([]byte, len(key)+len(value))
	n := copy(b, key)
	copy(b[n:], value)
	return b[:n:n], b[n:]
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
