package sim

import (
	"context"
	"io"
	"math"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// Config describes a world. The zero value (apart from Seed) is usable.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Scenario names the run in failure reports and replay hints.
	Scenario string
	// Net is the network model. Nil means a new netem model with a fixed
	// one-way Latency on every link, no jitter, no loss. Nodes added to the
	// world are registered with the model unless it already has them.
	Net *netem.Model
	// Latency is the one-way delay of the default model used when Net is
	// nil; zero means 1 ms.
	Latency time.Duration
	// CallTimeout bounds calls whose options name no timeout; zero means
	// rt.DefaultCallTimeout.
	CallTimeout time.Duration
	// MaxSteps stops the run with an error after that many scheduling
	// steps; zero means no limit.
	MaxSteps uint64
	// SyncOnCommit makes every KV commit durable at once (an fsync per
	// transaction), as a node configured with metadata_fsync.
	SyncOnCommit bool
	// FsyncLatency is how long, in virtual time, a KV Sync, a sync-on-
	// commit Update or a synced file Write blocks the calling task; zero
	// means instantaneous (no blocking point at all).
	FsyncLatency time.Duration
	// Log receives the world's and nodes' log lines, stamped with virtual
	// time; nil discards them.
	Log io.Writer
	// LogLevel is the minimum level logged (slog.Level; zero is Info).
	LogLevel int
	// MutexSites records where each rt.Mutex was locked, so that the
	// failure of a task blocking while holding one names the Lock call. It
	// costs a stack walk per Lock.
	MutexSites bool
	// Trace, if set, receives one line per scheduling step: virtual time,
	// step number, task, task id and why the task stopped.
	Trace io.Writer
}

// World is a deterministic simulated cluster. All its methods must be
// called either from the goroutine that drives it (between or around Run
// calls) or from inside one of its tasks; it is not safe for concurrent use.
type World struct {
	cfg   Config
	net   *netem.Model
	links map[edge]*linkQueue

	now       time.Duration
	timerSeq  uint64
	timers    timerHeap
	taskSeq   uint64
	runnable  []*task
	cur       *task
	handoff   *task          // the task picked by a task switching back to the driver
	live      posSet[*task]  // tasks whose goroutine was started and has not ended
	idle      []*worker      // goroutines waiting for a task
	free      freeList[task] // ended tasks, for reuse
	freeCalls freeList[call] // finished calls nothing refers to, for reuse

	sched, netRand, faultRand *Rand
	steps, hash               uint64
	failure                   *Failure
	rec                       *recorder
	closed                    bool
	closing                   bool          // Close is unwinding: run no other task
	end                       time.Duration // the current Run* stops before timers past end
	cond                      func() bool   // the current RunUntil's condition

	root     *simCtx // context of world tasks, cancelled by Close
	nodes    map[rt.NodeID]*node
	order    []rt.NodeID // nodes in AddNode order
	calls    uint64
	rpcNames map[string]string // task names of RPC handlers, by endpoint
	log      *logSink
	rts      *faultRegistry
	paused   int // paused nodes (see Pause)
}

// New returns an empty world at virtual time zero.
func New(cfg Config) *World {
	if cfg.Latency == 0 {
		cfg.Latency = time.Millisecond
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = rt.DefaultCallTimeout
	}
	w := &World{cfg: cfg, live: newTaskSet(livePos),
		nodes: map[rt.NodeID]*node{}, rpcNames: map[string]string{}}
	w.sched = w.Rand("scheduler")
	w.netRand = w.Rand("network")
	w.faultRand = w.Rand("faults")
	w.net, w.links = cfg.Net, map[edge]*linkQueue{}
	if w.net == nil {
		w.net = defaultNet(cfg.Latency)
	}
	w.root = w.newCtx(context.Background())
	w.log = newLogSink(w, cfg.Log, cfg.LogLevel)
	w.rts = newFaultRegistry(w)
	return w
}

// Seed returns the root seed of the run.
func (w *World) Seed() uint64 { return w.cfg.Seed }

// Now returns the virtual time elapsed since the start of the run.
func (w *World) Now() time.Duration { return w.now }

// Steps returns the number of scheduling steps taken so far.
func (w *World) Steps() uint64 { return w.steps }

// TraceHash returns the rolling hash of every scheduling step so far: the
// fingerprint that must be equal for equal seeds.
func (w *World) TraceHash() uint64 { return w.hash }

// Rand returns a new generator on the named stream of the run's seed. Two
// calls with the same name return generators with the same sequence.
// Names used by the world itself: "scheduler", "network", "faults" and
// "node/<id>" (each node's rt.Rand). Workloads and nemeses pick their own
// ("workload", "nemesis", "clocks", "disk"...).
func (w *World) Rand(stream string) *Rand { return NewRand(StreamSeed(w.cfg.Seed, stream)) }

// Network returns the network model (Config.Net or the default one), to
// cut and heal links or change their settings between or during steps.
func (w *World) Network() *netem.Model { return w.net }

// Go starts fn as a world task, outside any node (a workload client, a
// nemesis). It may call methods of node objects, which then use that
// node's Env. Its context is cancelled by Close.
func (w *World) Go(name string, fn func(ctx context.Context)) {
	w.spawn(name, nil, w.root, fn)
}

// At runs fn as a world task at virtual time at (or now, if at is past).
// It is how nemesis schedules crash, restart, partition and heal.
func (w *World) At(at time.Duration, name string, fn func()) {
	w.after(at-w.now, func() { w.Go(name, func(context.Context) { fn() }) })
}

// after schedules fire at now+d (at least now) in the scheduler.
func (w *World) after(d time.Duration, fire func()) *timer {
	t := &timer{}
	w.arm(t, d, fireFunc(fire), waker{})
	return t
}

// Run runs until nothing is runnable and no timer is pending (tasks still
// blocked then are blocked forever and stay parked until Close). It returns
// a *Failure if a task panicked or MaxSteps was exceeded.
func (w *World) Run() error { return w.loop(math.MaxInt64, nil) }

// RunFor runs until virtual time now+d, then sets the clock to now+d.
func (w *World) RunFor(d time.Duration) error {
	end := w.now + d
	if err := w.loop(end, nil); err != nil {
		return err
	}
	w.now = max(w.now, end)
	return nil
}

// RunUntil runs until cond holds (checked before every step) or fails if
// virtual time would pass now+deadline, or the world went idle, first.
func (w *World) RunUntil(cond func() bool, deadline time.Duration) error {
	end := w.now + deadline
	if err := w.loop(end, cond); err != nil {
		return err
	}
	if !cond() {
		return w.failf("condition not reached within %v (now %v)", deadline, w.now)
	}
	return nil
}

// mixStep folds one step into the trace hash (an FNV-style multiply-xor
// over 64-bit words).
func mixStep(h, step, task uint64, now time.Duration, k stepKind) uint64 {
	const prime = 0x100000001b3
	for _, v := range [4]uint64{step, task, uint64(now), uint64(k)} {
		h = (h ^ v) * prime
		h ^= h >> 29
	}
	return h
}

// Blocked returns the tasks parked at a blocking point, as "node/name"
// (or the world task's name), in creation order, then the runnable tasks
// held by paused nodes: after Run returned, the tasks that wait forever.
func (w *World) Blocked() []string {
	var out []string
	for _, t := range w.live.sorted() {
		if t.state == stBlocked {
			out = append(out, t.fullName())
		}
	}
	for _, t := range w.heldTasks() {
		out = append(out, t.fullName())
	}
	return out
}

// Close unwinds every task still alive (their deferred calls run) so that
// no goroutine of the world remains. The world cannot run afterwards.
func (w *World) Close() {
	if w.closed {
		return
	}
	w.closed, w.closing = true, true
	w.root.cancel(context.Canceled)
	for w.live.len() > 0 {
		for _, t := range w.live.sorted() {
			if t.livePos != 0 && t.state != stDone { // still live: not ended (nor recycled) meanwhile
				t.killed = true
				w.resume(t)
			}
		}
	}
	for _, wk := range w.idle {
		wk.stop()
	}
	for _, e := range w.timers {
		e.t.pos = 0 // disarmed: a later stop is a no-op
	}
	w.idle, w.runnable, w.timers = nil, nil, nil
}
