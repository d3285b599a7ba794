package block

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Manager is a node's block manager: its block files, the RPC endpoints
// that move blocks between nodes, reference counts, and the resync and
// scrub workers. Its methods are safe for use by every task of the node.
type Manager struct {
	env rt.Env
	cfg Config
	c   *cluster.Cluster
	lay table.Layout
	st  *store
	buf *budget

	mu      rt.Mutex
	busy    map[Hash]bool // hashes a resync worker is processing
	wakeEv  rt.Event      // set to wake idle workers; replaced after
	workers int           // resync workers wanted
	tranq   int           // resync tranquility
	stats   Stats
	scrub   scrubState
	lastLay [2]uint64 // current and oldest live layout version last seen
}

// New opens the block manager of the node: it registers the "block/..."
// RPC endpoints, follows the cluster layout (reporting its syncs at once:
// blocks move in the background, and reads try every live version), and
// spawns the resync and scrub workers, which resume where they stopped. A
// data directory found empty while reference counts exist queues every
// referenced block for resync.
func New(env rt.Env, c *cluster.Cluster, cfg Config) (*Manager, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := newStore(env, cfg)
	if err != nil {
		return nil, err
	}
	m := &Manager{env: env, cfg: cfg, c: c, lay: cluster.Sharded(c, cfg.Mode), st: st,
		buf: newBudget(env.Tasks, cfg.RAMBufferMax), mu: env.Tasks.NewMutex(), busy: map[Hash]bool{},
		wakeEv: env.Tasks.NewEvent(), workers: cfg.ResyncWorkers, tranq: tranquility(cfg.ResyncTranquility)}
	m.scrub.tranq = tranquility(cfg.ScrubTranquility)
	m.register()
	c.Subscribe(m.onLayout)
	m.onLayout(c.History())
	env.Tasks.Spawn("block-start", m.start)
	return m, nil
}

// start checks the data directories, then starts the workers.
func (m *Manager) start(ctx context.Context) {
	if err := m.checkMarkers(ctx); err != nil {
		m.env.Log.Error("block: data directory check failed", "err", err)
	}
	for i := range MaxResyncWorkers {
		m.env.Tasks.Spawn(fmt.Sprintf("block-resync-%d", i), func(ctx context.Context) { m.resyncLoop(ctx, i) })
	}
	m.env.Tasks.Spawn("block-scrub", m.scrubLoop)
}

// onLayout reports this table's sync of the layout at once (the block
// manager does not hold layout transitions back, as in Garage), and
// queues every referenced block for a check when the set of live
// versions changed, so that blocks move to the nodes that should hold
// them and leave the others.
func (m *Manager) onLayout(h *layout.History) {
	if v := m.lay.Sharding().Version; v > 0 {
		m.lay.SyncDone(v)
	}
	live := [2]uint64{h.Current().Number, h.MinStored()}
	m.mu.Lock()
	changed := live != m.lastLay && m.lastLay != [2]uint64{}
	m.lastLay = live
	m.mu.Unlock()
	if changed {
		m.env.Tasks.Spawn("block-layout-resync", func(ctx context.Context) {
			if _, err := m.enqueueAll(ctx); err != nil {
				m.env.Log.Warn("block: queueing blocks after a layout change failed", "err", err)
			}
		})
	}
}

// BlockSize returns the configured block size: the size objects are cut
// into.
func (m *Manager) BlockSize() int { return m.cfg.BlockSize }

// wake wakes the idle workers.
func (m *Manager) wake() {
	m.mu.Lock()
	ev := m.wakeEv
	m.wakeEv = m.env.Tasks.NewEvent()
	m.mu.Unlock()
	ev.Set()
}

// waitWake waits up to d for a wake, or for ctx.
func (m *Manager) waitWake(ctx context.Context, d time.Duration) {
	m.mu.Lock()
	ev := m.wakeEv
	m.mu.Unlock()
	wctx, cancel := m.env.Tasks.WithTimeout(ctx, d)
	defer cancel()
	_ = ev.Wait(wctx)
}

// count updates the statistics.
func (m *Manager) count(fn func(s *Stats)) {
	m.mu.Lock()
	fn(&m.stats)
	m.mu.Unlock()
}
