package block

import (
	"context"

	"github.com/gogarage/garage/node/rt"
)

// lockHash serialises the changes of one block's files that must not
// interleave: storing a block (which may find it already there) and
// deleting it after checking that nobody needs it. It waits while another
// task holds h and returns the unlock function, or ctx.Err().
func (m *Manager) lockHash(ctx context.Context, h Hash) (unlock func(), err error) {
	for {
		m.mu.Lock()
		held, busy := m.locks[h]
		if !busy {
			ev := m.env.Tasks.NewEvent()
			m.locks[h] = ev
			m.mu.Unlock()
			return func() { m.unlockHash(h, ev) }, nil
		}
		m.mu.Unlock()
		if err := held.Wait(ctx); err != nil {
			return nil, err
		}
	}
}

func (m *Manager) unlockHash(h Hash, ev rt.Event) {
	m.mu.Lock()
	delete(m.locks, h)
	m.mu.Unlock()
	ev.Set()
}

// touch keeps a block without references for GCDelay more: a Put of a
// block already stored, or a file the scrub found without a count, may
// belong to an object write whose reference has not arrived yet.
func (m *Manager) touch(h Hash) error {
	at := m.nowMS() + m.cfg.GCDelay.Milliseconds()
	return m.env.KV.Update(func(tx rt.Tx) error {
		rc, err := getRefCount(tx, h)
		if err != nil || rc.count > 0 || rc.deleteAt >= at {
			return err
		}
		rc.deleteAt = at
		if err := tx.Put(treeRC, h[:], rc.encode()); err != nil {
			return err
		}
		return enqueueTx(tx, h, at)
	})
}
