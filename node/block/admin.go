package block

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Stats counts what the block manager did since the node started.
type Stats struct {
	BlocksWritten uint64 // block files written (puts, fetches)
	BytesWritten  uint64 // their stored bytes
	Fetched       uint64 // blocks fetched from a replica by resync
	Offloaded     uint64 // blocks handed to other nodes before deletion
	Deleted       uint64 // blocks deleted locally
	Corrupt       uint64 // corrupt files found (reads and scrub)
	ResyncDone    uint64 // queue entries processed
	ResyncErrors  uint64 // failed resyncs
	RestoreQueued uint64 // blocks queued because a data directory was empty
}

// ScrubInfo is the scrub's progress.
type ScrubInfo struct {
	Running, Paused bool
	Dir             int    // directory being scrubbed
	Cursor          string // last file checked in it
	Checked         uint64 // files checked in this (or the last) pass
	Corrupt         uint64 // corrupt files found in it
	LastDone        time.Time
	NextRun         time.Time
	Tranquility     int
}

// WorkerInfo describes the workers and the write buffer.
type WorkerInfo struct {
	ResyncWorkers     int
	ResyncTranquility int
	BufferUsed        int64 // bytes of blocks being sent
	BufferWaiters     int   // writers waiting for the buffer
	Scrub             ScrubInfo
	Stats             Stats
}

// Workers returns the state of the workers.
func (m *Manager) Workers() WorkerInfo {
	used, waiting := m.buf.inUse()
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.scrub
	return WorkerInfo{ResyncWorkers: m.workers, ResyncTranquility: m.tranq, BufferUsed: used,
		BufferWaiters: waiting, Stats: m.stats,
		Scrub: ScrubInfo{Running: s.Running, Paused: s.Paused, Dir: s.Dir, Cursor: s.After,
			Checked: s.Checked, Corrupt: s.Corrupt, LastDone: msTime(s.LastDone),
			NextRun: msTime(s.NextRun), Tranquility: s.tranq}}
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// SetResyncWorkers sets the number of resync workers (1 to
// MaxResyncWorkers) at run time.
func (m *Manager) SetResyncWorkers(n int) error {
	if n < 1 || n > MaxResyncWorkers {
		return fmt.Errorf("resync workers: %d (want 1 to %d)", n, MaxResyncWorkers)
	}
	m.mu.Lock()
	m.workers = n
	m.mu.Unlock()
	m.wake()
	return nil
}

// SetResyncTranquility sets the resync tranquility (0: no pause).
func (m *Manager) SetResyncTranquility(t int) {
	m.mu.Lock()
	m.tranq = max(t, 0)
	m.mu.Unlock()
}

// SetScrubTranquility sets the scrub tranquility (0: no pause).
func (m *Manager) SetScrubTranquility(t int) {
	m.mu.Lock()
	m.scrub.tranq = max(t, 0)
	m.mu.Unlock()
}

func (m *Manager) wantedWorkers() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.workers
}

func (m *Manager) resyncTranquility() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return tranquility(m.tranq)
}

// ScrubStart starts a scrub pass now (restarting a running one).
func (m *Manager) ScrubStart() error {
	m.mu.Lock()
	m.scrub = scrubState{Running: true, LastDone: m.scrub.LastDone, NextRun: m.scrub.NextRun, tranq: m.scrub.tranq}
	m.mu.Unlock()
	m.wake()
	return m.saveScrub()
}

// ScrubPause pauses the scrub (paused) or resumes it.
func (m *Manager) ScrubPause(paused bool) error {
	m.mu.Lock()
	m.scrub.Paused = paused
	m.mu.Unlock()
	m.wake()
	return m.saveScrub()
}

// ScrubCancel stops a running pass; the next starts at the usual time.
func (m *Manager) ScrubCancel() error {
	m.mu.Lock()
	m.scrub.Running, m.scrub.Dir, m.scrub.After = false, 0, ""
	m.mu.Unlock()
	return m.saveScrub()
}

// QueueLen returns the number of blocks in the resync queue.
func (m *Manager) QueueLen() (int, error) { return m.countTree(treeQueued) }

func (m *Manager) countTree(tree string) (int, error) {
	n := 0
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(tree, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	return n, err
}

// ErrorInfo is a block whose resync keeps failing.
type ErrorInfo struct {
	Hash    Hash
	Count   uint64 // consecutive failures
	LastTry time.Time
	NextTry time.Time
}

// Errors lists the blocks whose resync failed, in hash order.
func (m *Manager) Errors() ([]ErrorInfo, error) {
	var out []ErrorInfo
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(treeErrors, nil, nil, false, func(k, v []byte) bool {
			if e, ok := decodeErrRecord(v); ok && len(k) == 32 {
				out = append(out, errorInfo(Hash(k), e))
			}
			return true
		})
	})
	return out, err
}

func errorInfo(h Hash, e errRecord) ErrorInfo {
	return ErrorInfo{Hash: h, Count: e.count, LastTry: msTime(e.last), NextTry: msTime(e.next)}
}

// RetryNow makes the listed blocks (every failing block if none is
// listed) due for resync now, and returns how many it queued.
func (m *Manager) RetryNow(hs ...Hash) (int, error) {
	if len(hs) == 0 {
		es, err := m.Errors()
		if err != nil {
			return 0, err
		}
		for _, e := range es {
			hs = append(hs, e.Hash)
		}
	}
	now := m.nowMS()
	err := m.env.KV.Update(func(tx rt.Tx) error {
		for _, h := range hs {
			if err := retryTx(tx, h, now); err != nil {
				return err
			}
		}
		return nil
	})
	m.wake()
	return len(hs), err
}

func retryTx(tx rt.Tx, h Hash, now int64) error {
	b, err := tx.Get(treeErrors, h[:])
	if err != nil {
		return err
	}
	if e, ok := decodeErrRecord(b); ok {
		e.next = now
		if err := tx.Put(treeErrors, h[:], e.encode()); err != nil {
			return err
		}
	}
	return enqueueTx(tx, h, now)
}

// Purge stops the block manager's repairs of h: it forgets h's failures
// and its queued resync. (Garage's `block purge` also deletes the object
// versions that reference h: that is the object layer's part.)
func (m *Manager) Purge(h Hash) error {
	return m.env.KV.Update(func(tx rt.Tx) error {
		b, err := tx.Get(treeQueued, h[:])
		if err != nil {
			return err
		}
		if len(b) == 8 {
			if err := tx.Delete(treeQueue, queueKey(int64(binary.BigEndian.Uint64(b)), h)); err != nil {
				return err
			}
		}
		if err := tx.Delete(treeQueued, h[:]); err != nil {
			return err
		}
		return tx.Delete(treeErrors, h[:])
	})
}

// RepairAll queues every block with references on this node for a check
// (Garage's `repair blocks`), and returns how many.
func (m *Manager) RepairAll(ctx context.Context) (int, error) { return m.enqueueAll(ctx) }

// FileInfo describes a block file.
type FileInfo struct {
	Dir        int
	Name       string
	Size       int64
	Compressed bool
}

// Info describes what this node knows of a block.
type Info struct {
	Hash     Hash
	RefCount uint64
	DeleteAt time.Time // when a zero count's block goes (zero if none)
	Holds    bool      // whether the layout places it on this node
	Files    []FileInfo
	QueuedAt time.Time  // its resync entry (zero if none)
	Error    *ErrorInfo // its failures (nil if none)
}

// Info returns what this node knows of h.
func (m *Manager) Info(h Hash) (Info, error) {
	in := Info{Hash: h, Holds: m.holds(h)}
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		rc, err := getRefCount(tx, h)
		if err != nil {
			return err
		}
		in.RefCount, in.DeleteAt = rc.count, msTime(rc.deleteAt)
		if b, err := tx.Get(treeQueued, h[:]); err != nil || len(b) != 8 {
			return err
		} else {
			in.QueuedAt = msTime(int64(binary.BigEndian.Uint64(b)))
		}
		return nil
	})
	if err != nil {
		return in, err
	}
	if e, ok, err := m.errorOf(h); err != nil {
		return in, err
	} else if ok {
		ei := errorInfo(h, e)
		in.Error = &ei
	}
	ls, err := m.st.locate(h)
	for _, l := range ls {
		in.Files = append(in.Files, FileInfo{Dir: l.dir, Name: l.name(h), Size: l.size, Compressed: l.compressed})
	}
	return in, err
}

// Usage is what the block files of the node take.
type Usage struct {
	Files int   // block files
	Bytes int64 // their size
}

// Usage walks every data directory and adds up its block files. It costs
// a listing and a stat per file: an operator's command, not a hot path.
func (m *Manager) Usage() (Usage, error) {
	var u Usage
	for _, d := range m.st.dirs {
		after := ""
		for {
			names, err := d.Files.ListPage("", after, 1000)
			if err != nil {
				return u, err
			}
			for _, name := range names {
				if _, _, ok := parseName(name); ok {
					fi, err := d.Files.Stat(name)
					if err == nil {
						u.Files++
						u.Bytes += fi.Size
					}
				}
				after = name
			}
			if len(names) < 1000 {
				break
			}
		}
	}
	return u, nil
}
