package block

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// The resync queue holds at most one entry per hash, at the earliest time
// it was asked for: treeQueue orders the entries by due time, treeQueued
// finds a hash's entry. Whoever processes a hash queues it again if it
// still needs a later visit (a zero count not yet expired, a backoff), so
// keeping only the earliest request loses nothing.

func queueKey(due int64, h Hash) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(max(due, 0))), h[:]...)
}

// enqueueTx queues h at due (wall clock ms) in tx, unless it is already
// queued at or before due.
func enqueueTx(tx rt.Tx, h Hash, due int64) error {
	old, err := tx.Get(treeQueued, h[:])
	if err != nil {
		return fmt.Errorf("queue %s: %w", h, err)
	}
	if len(old) == 8 {
		prev := int64(binary.BigEndian.Uint64(old))
		if prev <= due {
			return nil
		}
		if err := tx.Delete(treeQueue, queueKey(prev, h)); err != nil {
			return fmt.Errorf("queue %s: %w", h, err)
		}
	}
	if err := tx.Put(treeQueue, queueKey(due, h), nil); err != nil {
		return fmt.Errorf("queue %s: %w", h, err)
	}
	return tx.Put(treeQueued, h[:], binary.BigEndian.AppendUint64(nil, uint64(max(due, 0))))
}

// enqueue queues h at due in a transaction of its own and wakes the
// workers if it is due now.
func (m *Manager) enqueue(h Hash, due int64) error {
	err := m.env.KV.Update(func(tx rt.Tx) error { return enqueueTx(tx, h, due) })
	if err == nil && due <= m.nowMS() {
		m.wake()
	}
	return err
}

// enqueueNow queues h for a resync as soon as possible, logging a
// failure (the scrub will find the block again).
func (m *Manager) enqueueNow(h Hash, why string) {
	if err := m.enqueue(h, m.nowMS()); err != nil {
		m.env.Log.Warn("cannot queue block resync", "block", h.String(), "why", why, "err", err)
	}
}

// pop removes and returns the first entry of the queue if it is due. When
// nothing is due it returns how long until the first entry (or zero for
// an empty queue).
func (m *Manager) pop() (h Hash, ok bool, wait time.Duration, err error) {
	now := m.nowMS()
	err = m.env.KV.Update(func(tx rt.Tx) error {
		var key []byte
		if err := tx.Scan(treeQueue, nil, nil, false, func(k, _ []byte) bool {
			key = append([]byte(nil), k...)
			return false
		}); err != nil || key == nil {
			return err
		}
		due := int64(binary.BigEndian.Uint64(key))
		if due > now {
			wait = time.Duration(due-now) * time.Millisecond
			return nil
		}
		copy(h[:], key[8:])
		ok = true
		if err := tx.Delete(treeQueue, key); err != nil {
			return err
		}
		return tx.Delete(treeQueued, h[:])
	})
	if err != nil {
		return h, false, 0, fmt.Errorf("resync queue: %w", err)
	}
	return h, ok, wait, nil
}

// errRecord is the resync failure history of a block: Garage's
// ErrorCounter.
type errRecord struct {
	count      uint64
	last, next int64 // wall clock ms of the last failure and the next try
}

func (e errRecord) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, e.count)
	b = binary.BigEndian.AppendUint64(b, uint64(e.last))
	return binary.BigEndian.AppendUint64(b, uint64(e.next))
}

func decodeErrRecord(b []byte) (errRecord, bool) {
	if len(b) != 24 {
		return errRecord{}, false
	}
	return errRecord{count: binary.BigEndian.Uint64(b), last: int64(binary.BigEndian.Uint64(b[8:])),
		next: int64(binary.BigEndian.Uint64(b[16:]))}, true
}

// backoff returns the delay before the try after the n-th failure:
// RetryDelay doubled at each failure, capped at MaxRetryDelay.
func backoff(n uint64, base, limit time.Duration) time.Duration {
	d := base
	for i := uint64(1); i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// recordFailure counts a failed resync of h and queues the next try.
func (m *Manager) recordFailure(h Hash) (errRecord, error) {
	now := m.nowMS()
	var e errRecord
	err := m.env.KV.Update(func(tx rt.Tx) error {
		b, err := tx.Get(treeErrors, h[:])
		if err != nil {
			return err
		}
		e, _ = decodeErrRecord(b)
		e.count++
		e.last = now
		e.next = now + backoff(e.count, m.cfg.RetryDelay, m.cfg.MaxRetryDelay).Milliseconds()
		if err := tx.Put(treeErrors, h[:], e.encode()); err != nil {
			return err
		}
		return enqueueTx(tx, h, e.next)
	})
	return e, err
}

// clearFailure forgets h's failures after a successful resync.
func (m *Manager) clearFailure(h Hash) error {
	return m.env.KV.Update(func(tx rt.Tx) error { return tx.Delete(treeErrors, h[:]) })
}

// errorOf returns h's failure record, if any.
func (m *Manager) errorOf(h Hash) (errRecord, bool, error) {
	var e errRecord
	var ok bool
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		b, err := tx.Get(treeErrors, h[:])
		e, ok = decodeErrRecord(b)
		return err
	})
	return e, ok, err
}

// nowMS is the node's wall clock in ms: queue entries and deletion times
// outlive the process, which its monotonic clock does not.
func (m *Manager) nowMS() int64 { return m.env.Clock.Now().UnixMilli() }
