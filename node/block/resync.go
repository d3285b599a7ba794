package block

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
)

// maxPoll bounds how long an idle worker sleeps before it looks at the
// queue again. Entries queued inside other transactions (IncRef, DecRef)
// do not wake it, but they are due NewRefDelay or GCDelay later at the
// soonest, so a worker polling at the smaller of those is never late by
// more than that.
const maxPoll = time.Minute

func (m *Manager) poll() time.Duration { return min(maxPoll, m.cfg.NewRefDelay, m.cfg.GCDelay) }

// resyncLoop is resync worker i: it takes due hashes off the queue and
// brings the local store in line with what the node should hold. It
// ends when the wanted count falls to i or below.
func (m *Manager) resyncLoop(ctx context.Context, i int) {
	for ctx.Err() == nil && !m.retire(i) {
		h, ok, wait, err := m.pop()
		if err != nil {
			m.env.Log.Warn("block: resync queue", "err", err)
			m.queued.wait(ctx, m.poll())
			continue
		}
		if !ok {
			m.queued.wait(ctx, m.clampWait(wait))
			continue
		}
		start := m.env.Clock.Mono()
		m.resyncOne(ctx, h)
		m.tranquil(ctx, m.env.Clock.Mono()-start, m.resyncTranquility())
	}
}

func (m *Manager) clampWait(d time.Duration) time.Duration {
	if d <= 0 || d > m.poll() {
		return m.poll()
	}
	return d
}

// tranquil sleeps tranq times the duration of the last item.
func (m *Manager) tranquil(ctx context.Context, took time.Duration, tranq int) {
	if d := took * time.Duration(tranq); d > 0 {
		_ = m.env.Clock.Sleep(ctx, d)
	}
}

// resyncOne processes one dequeued hash: skipped (and queued again
// shortly) while another worker has it, or at its backoff time while it
// is failing; otherwise resynced, with the failure recorded.
func (m *Manager) resyncOne(ctx context.Context, h Hash) {
	if !m.claim(h) {
		_ = m.enqueue(h, m.nowMS()+time.Second.Milliseconds())
		return
	}
	defer m.unclaim(h)
	if e, ok, err := m.errorOf(h); err == nil && ok && e.next > m.nowMS() {
		_ = m.enqueue(h, e.next)
		return
	}
	err := m.resyncBlock(ctx, h)
	m.count(func(s *Stats) { s.ResyncDone++ })
	if err == nil {
		if cerr := m.clearFailure(h); cerr != nil {
			m.env.Log.Warn("block: clear resync error", "block", h.String(), "err", cerr)
		}
		return
	}
	if ctx.Err() != nil {
		_ = m.enqueue(h, m.nowMS())
		return
	}
	m.count(func(s *Stats) { s.ResyncErrors++ })
	e, rerr := m.recordFailure(h)
	m.env.Log.Warn("block: resync failed", "block", h.String(), "failures", e.count, "err", err, "record", rerr)
}

func (m *Manager) claim(h Hash) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.busy[h] {
		return false
	}
	m.busy[h] = true
	return true
}

func (m *Manager) unclaim(h Hash) {
	m.mu.Lock()
	delete(m.busy, h)
	m.mu.Unlock()
}

// resyncBlock makes the local store agree with what the node should hold:
// a block it needs and lacks is fetched from a replica; a block it holds
// but no longer needs (zero references past the delay, or a partition the
// layout moved away) is handed to the nodes that need it, then deleted.
func (m *Manager) resyncBlock(ctx context.Context, h Hash) error {
	present, err := m.st.has(h)
	if err != nil {
		return err
	}
	rc, err := m.refCount(h)
	if err != nil {
		return err
	}
	now := m.nowMS()
	if rc.count == 0 && rc.deleteAt > now {
		if err := m.enqueue(h, rc.deleteAt); err != nil {
			return err
		}
	}
	needed := rc.needed(now) && m.holds(h)
	switch {
	case present && !needed:
		return m.offload(ctx, h)
	case !present && needed:
		return m.fetch(ctx, h)
	case !present && !rc.needed(now):
		return m.clearExpired(h)
	}
	return nil
}

// fetch copies h from the first replica that has it into the local store.
func (m *Manager) fetch(ctx context.Context, h Hash) error {
	var errs []error
	for _, id := range m.readOrder(h) {
		if id == m.env.ID {
			continue
		}
		payload, _, compressed, err := m.fetchFrom(ctx, id, h, rt.PrioBackground)
		if err == nil {
			if err := m.storeLocal(ctx, h, payload, compressed); err != nil {
				return fmt.Errorf("fetch block %s: %w", h, err)
			}
			m.count(func(s *Stats) { s.Fetched++ })
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", id.Short(), err))
	}
	if len(errs) == 0 {
		return fmt.Errorf("fetch block %s: %w: no other node to ask", h, ErrNotFound)
	}
	return fmt.Errorf("fetch block %s: %w", h, errors.Join(errs...))
}

// offload hands h to the nodes of its partition that need it (every one
// must answer), then deletes the local copy if it is still unneeded.
func (m *Manager) offload(ctx context.Context, h Hash) error {
	if n, w := len(m.peersOfAll(h)), m.writeQuorum(); n < w || n == 0 {
		return fmt.Errorf("offload block %s: the layout names %d nodes for it, fewer than a write quorum (%d): keeping it", h, n, w)
	}
	peers := m.peersOf(h)
	need, err := m.whoNeeds(ctx, h, peers)
	if err != nil {
		return fmt.Errorf("offload block %s: %w", h, err)
	}
	if len(need) > 0 {
		if err := m.sendTo(ctx, h, need); err != nil {
			return fmt.Errorf("offload block %s: %w", h, err)
		}
		m.count(func(s *Stats) { s.Offloaded++ })
	}
	if err := rt.Fail(m.env.Faults, fail.GCDelete); err != nil {
		return fmt.Errorf("delete block %s: %w", h, err)
	}
	return m.deleteIfUnneeded(ctx, h)
}

// whoNeeds asks every peer whether it needs h; any failure fails it.
func (m *Manager) whoNeeds(ctx context.Context, h Hash, peers []rt.NodeID) ([]rt.NodeID, error) {
	res, err := rt.Quorum(ctx, m.env.Tasks, len(peers), len(peers), func(ctx context.Context, i int) (bool, error) {
		rep, err := m.env.Net.Call(ctx, peers[i], EndpointNeed, h[:], m.bgOpts())
		return len(rep) == 1 && rep[0] == 1, err
	}, nil)
	if err != nil {
		return nil, err
	}
	var out []rt.NodeID
	for _, r := range res {
		if r.Val {
			out = append(out, peers[r.Index])
		}
	}
	return out, nil
}

// sendTo sends the local copy of h to every node of to.
func (m *Manager) sendTo(ctx context.Context, h Hash, to []rt.NodeID) error {
	r, err := m.readLocal(ctx, h, true)
	if err != nil {
		return err
	}
	msg := encodePut(h, r.payload, r.compressed)
	r.release()
	opts := rt.CallOpts{Timeout: m.cfg.WriteTimeout, Prio: rt.PrioBackground}
	_, err = rt.Quorum(ctx, m.env.Tasks, len(to), len(to), func(ctx context.Context, i int) (struct{}, error) {
		_, err := m.env.Net.Call(ctx, to[i], EndpointPut, msg, opts)
		return struct{}{}, err
	}, nil)
	return err
}

// deleteIfUnneeded removes h's files unless the node needs it again (a
// reference came back, or a Put of it touched it, meanwhile), and forgets
// an expired zero count. It holds h's lock, so a Put cannot find the file
// present and then lose it.
func (m *Manager) deleteIfUnneeded(ctx context.Context, h Hash) error {
	unlock, err := m.lockHash(ctx, h)
	if err != nil {
		return err
	}
	defer unlock()
	rc, err := m.refCount(h)
	if err != nil {
		return err
	}
	if rc.needed(m.nowMS()) && m.holds(h) {
		return nil
	}
	if err := m.st.remove(h); err != nil {
		return err
	}
	m.count(func(s *Stats) { s.Deleted++ })
	return m.clearExpired(h)
}

func (m *Manager) bgOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: m.cfg.ReadTimeout, Prio: rt.PrioBackground}
}

// enqueueAll queues every block with a reference count for a check now,
// page by page, and returns how many it queued.
func (m *Manager) enqueueAll(ctx context.Context) (int, error) {
	const page = 1000
	var after []byte
	total := 0
	now := m.nowMS()
	for ctx.Err() == nil {
		var n int
		err := m.env.KV.Update(func(tx rt.Tx) error {
			keys, err := scanKeys(tx, treeRC, after, page)
			n = len(keys)
			for _, k := range keys {
				if err == nil {
					err = enqueueTx(tx, Hash(k), now)
				}
				after = k[:]
			}
			return err
		})
		if err != nil {
			return total, fmt.Errorf("queue every block: %w", err)
		}
		total += n
		if n < page {
			m.wake()
			return total, nil
		}
	}
	return total, ctx.Err()
}

// scanKeys returns up to n hash keys of tree after after (nil: from the
// start).
func scanKeys(tx rt.ReadTx, tree string, after []byte, n int) ([][32]byte, error) {
	var start []byte
	if after != nil {
		start = append(append([]byte(nil), after...), 0)
	}
	var out [][32]byte
	err := tx.Scan(tree, start, nil, false, func(k, _ []byte) bool {
		if len(k) == 32 {
			out = append(out, [32]byte(k))
		}
		return len(out) < n
	})
	return out, err
}
