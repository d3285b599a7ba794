package block

import (
	"context"
	"fmt"

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
	busy    map[Hash]bool     // hashes a resync worker is processing
	locks   map[Hash]rt.Event // hashes whose files are being stored or deleted
	queued  *signal           // wakes the resync workers: work is due
	scrubs  *signal           // wakes the scrub worker: its state changed
	workers int               // resync workers wanted
	alive   [MaxResyncWorkers]bool
	tranq   int // resync tranquility
	stats   Stats
	scrub   scrubState
	lastLay [2]uint64 // current layout version and live versions last seen (layoutLoop)

	requeuing, requeueAgain bool // a requeue task runs; another is due after it
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
		buf: newBudget(env.Tasks, cfg.RAMBufferMax), mu: env.Tasks.NewMutex(), busy: map[Hash]bool{}, locks: map[Hash]rt.Event{},
		queued: newSignal(env.Tasks), scrubs: newSignal(env.Tasks), workers: cfg.ResyncWorkers, tranq: tranquility(cfg.ResyncTranquility)}
	m.scrub.tranq = tranquility(cfg.ScrubTranquility)
	if err := m.loadScrub(); err != nil {
		env.Log.Error("block: scrub state unreadable, starting over", "err", err)
	}
	m.register()
	m.followLayout(context.Background(), false)
	env.Tasks.Spawn("block-start", m.start)
	return m, nil
}

// start checks the data directories, then starts the workers.
func (m *Manager) start(ctx context.Context) {
	if err := m.checkMarkers(ctx); err != nil {
		m.env.Log.Error("block: data directory check failed", "err", err)
	}
	m.spawnWorkers()
	m.env.Tasks.Spawn("block-scrub", m.scrubLoop)
	m.env.Tasks.Spawn("block-layout", m.layoutLoop)
}

// layoutLoop follows the layout: at every change of the cluster's layout
// history (cluster.LayoutChanged), as the tables' sync workers do.
func (m *Manager) layoutLoop(ctx context.Context) {
	for {
		changed := m.c.LayoutChanged() // before looking: no change slips between
		m.followLayout(ctx, true)
		if changed.Wait(ctx) != nil {
			return
		}
	}
}

// followLayout reports this table's sync of the layout at once (the block
// manager does not hold layout transitions back, as in Garage: blocks
// move in the background and reads try every live version), and, if
// queue is set, queues every referenced block for a check when the set of
// live versions changed, so that blocks move to the nodes that should
// hold them and leave the others.
func (m *Manager) followLayout(ctx context.Context, queue bool) {
	if v := m.lay.Sharding().Version; v > 0 {
		m.lay.SyncDone(v)
	}
	cur, live := m.c.LayoutState()
	state := [2]uint64{cur, uint64(live)}
	m.mu.Lock()
	changed := state != m.lastLay
	m.lastLay = state
	m.mu.Unlock()
	if changed && queue {
		m.requeue()
	}
}

// requeue queues every referenced block from a task of its own (a large
// store takes a while, and the layout loop must go on reporting syncs);
// a change during the queueing queues again once it is done.
func (m *Manager) requeue() {
	m.mu.Lock()
	running := m.requeuing
	m.requeuing, m.requeueAgain = true, running
	m.mu.Unlock()
	if running {
		return
	}
	m.env.Tasks.Spawn("block-layout-requeue", func(ctx context.Context) {
		for again := true; again; {
			if _, err := m.enqueueAll(ctx); err != nil {
				m.env.Log.Warn("block: queueing blocks after a layout change failed", "err", err)
			}
			m.mu.Lock()
			again, m.requeueAgain = m.requeueAgain, false
			m.requeuing = again
			m.mu.Unlock()
		}
	})
}

// BlockSize returns the configured block size: the size objects are cut
// into.
func (m *Manager) BlockSize() int { return m.cfg.BlockSize }

// spawnWorkers starts the wanted resync workers that are not running.
func (m *Manager) spawnWorkers() {
	m.mu.Lock()
	var start []int
	for i := range m.workers {
		if !m.alive[i] {
			m.alive[i] = true
			start = append(start, i)
		}
	}
	m.mu.Unlock()
	for _, i := range start {
		m.env.Tasks.Spawn(fmt.Sprintf("block-resync-%d", i), func(ctx context.Context) { m.resyncLoop(ctx, i) })
	}
}

// retire reports whether worker i is beyond the wanted count, marking it
// stopped if so.
func (m *Manager) retire(i int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i < m.workers {
		return false
	}
	m.alive[i] = false
	return true
}

// wake wakes the resync workers.
func (m *Manager) wake() { m.queued.notify() }

// count updates the statistics.
func (m *Manager) count(fn func(s *Stats)) {
	m.mu.Lock()
	fn(&m.stats)
	m.mu.Unlock()
}
