package block

import (
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// KV trees of the block manager.
const (
	treeRC     = "block/rc"        // hash -> refCount
	treeQueue  = "block/resync"    // due ms (8, big endian) || hash -> empty
	treeQueued = "block/resync_at" // hash -> due ms: the one queue entry of a hash
	treeErrors = "block/errors"    // hash -> errRecord
	treeState  = "block/state"     // worker state (scrub cursor)
)

// refCount is a block's reference count on this node. A count that fell
// to zero keeps the block until deleteAt (wall clock ms): Garage's
// Deletable state, which lets a block come back to life without a copy.
type refCount struct {
	count    uint64
	deleteAt int64 // 0 when count > 0 or when there is no entry
}

// needed reports whether the node must keep the block at time now.
func (r refCount) needed(now int64) bool { return r.count > 0 || r.deleteAt > now }

func (r refCount) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, r.count)
	if r.count == 0 {
		b = binary.BigEndian.AppendUint64(b, uint64(r.deleteAt))
	}
	return b
}

func decodeRefCount(b []byte) (refCount, error) {
	switch {
	case b == nil:
		return refCount{}, nil
	case len(b) == 8:
		return refCount{count: binary.BigEndian.Uint64(b)}, nil
	case len(b) == 16 && binary.BigEndian.Uint64(b) == 0:
		return refCount{deleteAt: int64(binary.BigEndian.Uint64(b[8:]))}, nil
	}
	return refCount{}, fmt.Errorf("block: bad reference count record of %d bytes", len(b))
}

func getRefCount(tx rt.ReadTx, h Hash) (refCount, error) {
	b, err := tx.Get(treeRC, h[:])
	if err != nil {
		return refCount{}, err
	}
	return decodeRefCount(b)
}

// IncRef adds a reference to h in tx. The block_ref table calls it from
// its Updated hook, in the transaction that makes a reference live on
// this node. A first reference queues a check, NewRefDelay later, that
// the node holds the block (fetched from a replica if not).
func (m *Manager) IncRef(tx rt.Tx, h Hash) error {
	rc, err := getRefCount(tx, h)
	if err != nil {
		return fmt.Errorf("incref %s: %w", h, err)
	}
	first := rc.count == 0
	rc = refCount{count: rc.count + 1}
	if err := tx.Put(treeRC, h[:], rc.encode()); err != nil {
		return fmt.Errorf("incref %s: %w", h, err)
	}
	if first {
		return enqueueTx(tx, h, m.nowMS()+m.cfg.NewRefDelay.Milliseconds())
	}
	return nil
}

// DecRef removes a reference to h in tx (the block_ref table's Updated
// hook, when a live reference is deleted or leaves this node). When the
// count reaches zero the block is deleted GCDelay later, through the
// resync queue, unless a reference comes back first. A DecRef of a count
// already zero does nothing.
func (m *Manager) DecRef(tx rt.Tx, h Hash) error {
	rc, err := getRefCount(tx, h)
	if err != nil {
		return fmt.Errorf("decref %s: %w", h, err)
	}
	if rc.count == 0 {
		return nil
	}
	rc.count--
	if rc.count == 0 {
		rc.deleteAt = m.nowMS() + m.cfg.GCDelay.Milliseconds()
	}
	if err := tx.Put(treeRC, h[:], rc.encode()); err != nil {
		return fmt.Errorf("decref %s: %w", h, err)
	}
	if rc.count == 0 {
		return enqueueTx(tx, h, rc.deleteAt)
	}
	return nil
}

// RefCount returns the number of references to h on this node.
func (m *Manager) RefCount(h Hash) (uint64, error) {
	rc, err := m.refCount(h)
	return rc.count, err
}

func (m *Manager) refCount(h Hash) (refCount, error) {
	var rc refCount
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		rc, err = getRefCount(tx, h)
		return err
	})
	if err != nil {
		return rc, fmt.Errorf("reference count of %s: %w", h, err)
	}
	return rc, nil
}

// clearExpired deletes h's reference count entry if it is a zero count
// whose delay has passed: the block is gone and forgotten.
func (m *Manager) clearExpired(h Hash) error {
	now := m.nowMS()
	return m.env.KV.Update(func(tx rt.Tx) error {
		rc, err := getRefCount(tx, h)
		if err != nil || rc.needed(now) || rc.deleteAt == 0 {
			return err
		}
		return tx.Delete(treeRC, h[:])
	})
}
