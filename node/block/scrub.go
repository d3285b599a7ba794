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

// scrubState is the scrub's progress, persisted under treeState/"scrub"
// so that a restart resumes it. It is guarded by the manager's mutex.
type scrubState struct {
	Running  bool   `json:"running"`
	Paused   bool   `json:"paused"`
	Dir      int    `json:"dir"`
	After    string `json:"after"` // last file name checked in Dir
	Checked  uint64 `json:"checked"`
	Corrupt  uint64 `json:"corrupt"`
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
	if err := m.loadScrub(); err != nil {
		m.env.Log.Error("block: scrub state unreadable, starting over", "err", err)
	}
	for ctx.Err() == nil {
		if wait := m.scrubDue(); wait > 0 {
			m.waitWake(ctx, min(wait, queuePoll))
			continue
		}
		if err := m.scrubPage(ctx); err != nil {
			m.env.Log.Warn("block: scrub", "err", err)
			m.waitWake(ctx, queuePoll)
		}
	}
}

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
		return queuePoll
	case s.Running:
		return 0
	case now < s.NextRun:
		return time.Duration(s.NextRun-now) * time.Millisecond
	}
	*s = scrubState{Running: true, LastDone: s.LastDone, NextRun: s.NextRun, tranq: s.tranq}
	return 0
}

// scrubPage checks the next page of the current directory and moves the
// cursor on, ending the pass after the last directory.
func (m *Manager) scrubPage(ctx context.Context) error {
	m.mu.Lock()
	dir, after := m.scrub.Dir, m.scrub.After
	m.mu.Unlock()
	if dir >= len(m.st.dirs) {
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
		m.scrubFile(ctx, dir, name)
		m.mu.Lock()
		m.scrub.After = name
		m.scrub.Checked++
		tranq := m.scrub.tranq
		m.mu.Unlock()
		m.tranquil(ctx, m.env.Clock.Mono()-start, tranquility(tranq))
	}
	if len(names) < scrubPage {
		m.mu.Lock()
		m.scrub.Dir, m.scrub.After = dir+1, ""
		m.mu.Unlock()
	}
	return m.saveScrub()
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
// is queued for collection or offload.
func (m *Manager) scrubFile(ctx context.Context, dir int, name string) {
	h, compressed, ok := parseName(name)
	if !ok {
		return
	}
	l := loc{dir: dir, compressed: compressed}
	if _, _, err := m.st.readFile(ctx, h, l); errors.Is(err, ErrCorrupt) {
		m.st.setAside(h, l)
		m.count(func(s *Stats) { s.Corrupt++ })
		m.mu.Lock()
		m.scrub.Corrupt++
		m.mu.Unlock()
		m.env.Log.Warn("block: scrub found a corrupt file", "block", h.String(), "err", err)
		m.enqueueNow(h, "scrub: corrupt")
		return
	}
	rc, err := m.refCount(h)
	if err == nil && (!rc.needed(m.nowMS()) || !m.holds(h)) {
		m.enqueueNow(h, "scrub: not needed here")
	}
}
