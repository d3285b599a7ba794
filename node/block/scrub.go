package block

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// scrubPage is how many file names the scrub lists at a time; its cursor
// is saved after each page.
const scrubPage = 64

// scrubPoll bounds the sleep of the scrub worker until its next pass
// (the wall clock that times passes may jump); operator commands wake it.
const scrubPoll = time.Hour

// scrubPageGap is the pause of the scrub between two pages.
const scrubPageGap = time.Millisecond

// scrubState is the scrub's progress, persisted under treeState/"scrub"
// so that a restart resumes it. It is guarded by the manager's mutex.
type scrubState struct {
	Running  bool   `json:"running"`
	Paused   bool   `json:"paused"`
	Dir      int    `json:"dir"`
	After    string `json:"after"` // last file name checked in Dir
	Checked  uint64 `json:"checked"`
	Corrupt  uint64 `json:"corrupt"`
	Missing  uint64 `json:"missing"`
	LastDone int64  `json:"last_done"` // wall clock ms of the last complete pass
	NextRun  int64  `json:"next_run"`  // wall clock ms of the next automatic start
	tranq    int
}

const keyScrub = "scrub"

// scrubLoop is the scrub worker: every ScrubInterval it reads every block
// file of every data directory, page by page, verifies it, sets a corrupt
// file aside and queues its block for repair, and queues blocks the node
// should not hold (collection, offload). Its cursor survives restarts.
func (m *Manager) scrubLoop(ctx context.Context) {
	for ctx.Err() == nil {
		if wait := m.scrubDue(); wait > 0 {
			m.scrubs.wait(ctx, min(wait, scrubPoll))
			continue
		}
		if err := m.scrubPage(ctx); err != nil {
			m.env.Log.Warn("block: scrub", "err", err)
			m.scrubs.wait(ctx, maxPoll)
		}
	}
}

// loadScrub reads the persisted scrub state (New calls it, before any
// operator command can change the state).
func (m *Manager) loadScrub() error {
	var b []byte
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		v, err := tx.Get(treeState, []byte(keyScrub))
		b = append([]byte(nil), v...)
		return err
	})
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil && len(b) > 0 {
		tranq := m.scrub.tranq
		err = json.Unmarshal(b, &m.scrub)
		m.scrub.tranq = tranq
	}
	if m.scrub.NextRun == 0 {
		m.scrub.NextRun = m.nowMS() + m.cfg.ScrubInterval.Milliseconds()
	}
	return err
}

func (m *Manager) saveScrub() error {
	m.mu.Lock()
	b, err := json.Marshal(m.scrub)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return m.env.KV.Update(func(tx rt.Tx) error { return tx.Put(treeState, []byte(keyScrub), b) })
}

// scrubDue starts a pass when its time came and returns zero if a pass is
// running, or how long until the next start.
func (m *Manager) scrubDue() time.Duration {
	now := m.nowMS()
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &m.scrub
	switch {
	case s.Paused:
		return scrubPoll
	case s.Running:
		return 0
	case now < s.NextRun:
		return time.Duration(s.NextRun-now) * time.Millisecond
	}
	*s = scrubState{Running: true, LastDone: s.LastDone, NextRun: s.NextRun, tranq: s.tranq}
	return 0
}

// scrubPage checks the next page of the current directory (or, after
// the last directory, of the reference counts) and moves the cursor on,
// ending the pass after the last page.
func (m *Manager) scrubPage(ctx context.Context) error {
	m.mu.Lock()
	dir, after := m.scrub.Dir, m.scrub.After
	m.mu.Unlock()
	switch {
	case dir == len(m.st.dirs):
		return m.scrubRefs(ctx, after)
	case dir > len(m.st.dirs):
		return m.endScrub()
	}
	names, err := m.st.dirs[dir].Files.ListPage("", after, scrubPage)
	if err != nil {
		return err
	}
	for _, name := range names {
		if ctx.Err() != nil {
			return nil
		}
		start := m.env.Clock.Mono()
		checked := m.scrubFile(ctx, dir, name)
		m.mu.Lock()
		m.scrub.After = name
		if checked {
			m.scrub.Checked++
		}
		tranq := m.scrub.tranq
		m.mu.Unlock()
		m.tranquil(ctx, m.env.Clock.Mono()-start, tranquility(tranq))
	}
	return m.nextPage(ctx, dir, len(names) < scrubPage)
}

// nextPage moves the cursor to the next directory after a short page,
// saves it, and pauses.
func (m *Manager) nextPage(ctx context.Context, dir int, last bool) error {
	if last {
		m.mu.Lock()
		m.scrub.Dir, m.scrub.After = dir+1, ""
		m.mu.Unlock()
	}
	if err := m.saveScrub(); err != nil {
		return err
	}
	// A pause between pages lets the node's other tasks run even where
	// reads take no time (the simulator); it costs a real node about 16 s
	// per million files.
	_ = m.env.Clock.Sleep(ctx, scrubPageGap)
	return nil
}

func (m *Manager) endScrub() error {
	now := m.nowMS()
	m.mu.Lock()
	m.scrub.Running, m.scrub.Dir, m.scrub.After = false, 0, ""
	m.scrub.LastDone, m.scrub.NextRun = now, now+m.cfg.ScrubInterval.Milliseconds()
	checked, corrupt := m.scrub.Checked, m.scrub.Corrupt
	m.mu.Unlock()
	m.env.Log.Info("block: scrub pass done", "checked", checked, "corrupt", corrupt)
	return m.saveScrub()
}

// scrubFile verifies one file of directory dir: a corrupt one is set
// aside and its block queued for repair; a block the node should not hold
// is queued for collection or offload. It reports whether name was a
// block file.
func (m *Manager) scrubFile(ctx context.Context, dir int, name string) bool {
	h, compressed, ok := parseName(name)
	if !ok {
		return false
	}
	l := loc{dir: dir, compressed: compressed}
	f, err := m.st.verifyAs(ctx, h, l, true, true)
	if err == nil {
		f.release()
	}
	if errors.Is(err, ErrCorrupt) {
		m.st.setAside(h, l)
		m.count(func(s *Stats) { s.Corrupt++ })
		m.mu.Lock()
		m.scrub.Corrupt++
		m.mu.Unlock()
		m.env.Log.Warn("block: scrub found a corrupt file", "block", h.String(), "err", err)
		m.enqueueNow(h, "scrub: corrupt")
		return true
	}
	m.scrubCount(h)
	return true
}

// scrubCount queues a block file that the node should not keep: a file
// without any count is first given GCDelay (its reference may be on its
// way), an expired zero count or a block placed elsewhere goes now.
func (m *Manager) scrubCount(h Hash) {
	rc, err := m.refCount(h)
	switch {
	case err != nil:
		return
	case rc == refCount{}:
		if err := m.touch(h); err != nil {
			m.env.Log.Warn("block: scrub: keep an unreferenced block", "block", h.String(), "err", err)
		}
	case !rc.needed(m.nowMS()) || !m.holds(h):
		m.enqueueNow(h, "scrub: not needed here")
	}
}

// scrubRefs checks a page of reference counts after the hash of hex
// after: a block the node should hold and has no file of (lost in a crash
// without data_fsync, deleted by hand) is queued for resync.
func (m *Manager) scrubRefs(ctx context.Context, after string) error {
	var from []byte
	if after != "" {
		h, err := ParseHash(after)
		if err != nil {
			return err
		}
		from = h[:]
	}
	var keys [][32]byte
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		var err error
		keys, err = scanKeys(tx, treeRC, from, scrubPage)
		return err
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		m.scrubRef(Hash(k))
	}
	if len(keys) > 0 {
		m.mu.Lock()
		m.scrub.After = Hash(keys[len(keys)-1]).String()
		m.mu.Unlock()
	}
	return m.nextPage(ctx, len(m.st.dirs), len(keys) < scrubPage)
}

// scrubRef queues h if the node needs it and has no file of it.
func (m *Manager) scrubRef(h Hash) {
	if need, err := m.needs(h); err != nil || !need {
		return
	}
	m.mu.Lock()
	m.scrub.Missing++
	m.mu.Unlock()
	m.enqueueNow(h, "scrub: missing")
}
