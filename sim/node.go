package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim/disk"
)

// node is a simulated machine: what survives a crash (disk, clock, random
// stream) and the current incarnation of its process, if up.
type node struct {
	id rt.NodeID
	// netIdx is the node's position in the network model
	netIdx int
	zone   string
	boot   func(env rt.Env)
	disk   *disk.Disk
	clock  *ClockCtl
	rand   *Rand
	inc    *incarnation // nil while down
	last   *incarnation // the latest incarnation, up or down
	gen    int          // incarnations so far
}

// incarnation is one run of a node's process, from boot to crash.
type incarnation struct {
	n        *node
	num      int
	life     *simCtx
	handlers map[string]rt.Handler
	tasks    posSet[*task] // tasks of this incarnation not yet finished
	calls    posSet[*call] // outgoing calls not yet finished
	dead     bool
	env      rt.Env
	paused   bool       // see Pause
	held     []*task    // tasks made runnable while paused
	heldDone []heldDone // started calls that ended while paused
}

// AddNode adds node id, in zone, and boots it: boot runs as the node's
// first task, now and after every Restart, with a fresh Env over the same
// durable disk. boot registers handlers and spawns background tasks, then
// returns. The node is registered with the network model in zone, unless
// the model already knows it.
func (w *World) AddNode(id rt.NodeID, zone string, boot func(env rt.Env)) {
	if _, dup := w.nodes[id]; dup {
		panic(fmt.Sprintf("sim: node %s added twice", id))
	}
	n := &node{id: id, zone: zone, boot: boot, rand: w.Rand("node/" + string(id))}
	n.clock = newClockCtl(w)
	n.disk = disk.New(disk.Options{Guard: w.newMutex(), SyncOnCommit: w.cfg.SyncOnCommit})
	w.nodes[id] = n
	if !w.net.Has(string(id)) {
		w.net.AddNode(string(id), zone)
	}
	n.netIdx = w.net.Index(string(id))
	w.order = append(w.order, id)
	w.start(n)
}

// Nodes returns the ids of every node, in the order they were added.
func (w *World) Nodes() []rt.NodeID { return append([]rt.NodeID(nil), w.order...) }

// Up reports whether node id is running.
func (w *World) Up(id rt.NodeID) bool { return w.mustNode(id).inc != nil }

// Zone returns the zone node id was added in.
func (w *World) Zone(id rt.NodeID) string { return w.mustNode(id).zone }

// Env returns the Env of node id's current incarnation (the last one if it
// is down, whose ports then fail with rt.ErrUnreachable).
func (w *World) Env(id rt.NodeID) rt.Env {
	return w.mustNode(id).last.env
}

// Disk returns node id's simulated disk, for fault injection and checks.
func (w *World) Disk(id rt.NodeID) *disk.Disk { return w.mustNode(id).disk }

func (w *World) mustNode(id rt.NodeID) *node {
	n := w.nodes[id]
	if n == nil {
		panic(fmt.Sprintf("sim: unknown node %s", id))
	}
	return n
}

// start creates a new incarnation of n and spawns its boot task.
func (w *World) start(n *node) {
	n.gen++
	inc := &incarnation{n: n, num: n.gen, life: w.newCtx(context.Background()),
		handlers: map[string]rt.Handler{}, tasks: newTaskSet(incPos), calls: newCallSet()}
	inc.env = w.newEnv(inc)
	n.inc, n.last = inc, inc
	w.spawn("boot", inc, inc.life, func(context.Context) { n.boot(inc.env) })
}

func (w *World) newEnv(inc *incarnation) rt.Env {
	n := inc.n
	timing := &diskTiming{w: w, latency: w.cfg.FsyncLatency, syncOnCommit: w.cfg.SyncOnCommit}
	return rt.Env{
		ID:     n.id,
		Clock:  &clockPort{w: w, c: n.clock},
		Rand:   n.rand,
		Net:    &netPort{w: w, inc: inc},
		Tasks:  &tasksPort{w: w, inc: inc},
		KV:     &kvPort{port: port{inc, timing}, kv: n.disk.KV()},
		Files:  &filesPort{port: port{inc, timing}, f: n.disk.Files()},
		Faults: w.rts.forNode(n.id),
		Log:    w.log.logger(string(n.id)),
	}
}

// Crash stops node id as a power cut would: unsynced disk writes are lost,
// every task of the node unwinds (its deferred calls run when the scheduler
// next resumes it), its handlers vanish, calls to it time out, and calls
// made through its Env by tasks of other nodes or the world fail with
// rt.ErrUnreachable. Crashing a down node does nothing.
func (w *World) Crash(id rt.NodeID) {
	n := w.mustNode(id)
	inc := n.inc
	if inc == nil {
		return
	}
	n.inc = nil
	inc.dead = true
	w.unpauseForCrash(inc)
	n.disk.Crash()
	inc.handlers = map[string]rt.Handler{}
	w.killTasks(inc)
	w.failCalls(inc)
	inc.life.cancel(context.Canceled)
	if w.cur != nil && w.cur.killed {
		kill()
	}
}

// killTasks marks the incarnation's tasks for unwinding and makes the
// parked ones runnable so that they unwind soon.
func (w *World) killTasks(inc *incarnation) {
	for _, t := range inc.tasks.sorted() {
		t.killed = true
		if t.state == stBlocked {
			w.makeRunnable(t)
		}
	}
}

// failCalls ends the incarnation's outgoing calls with ErrUnreachable (only
// foreign tasks can still be waiting on them).
func (w *World) failCalls(inc *incarnation) {
	for _, c := range inc.calls.sorted() {
		c.finish(nil, rt.ErrUnreachable)
	}
}

// Restart boots node id again over its durable state, crashing it first if
// it is up.
func (w *World) Restart(id rt.NodeID) {
	n := w.mustNode(id)
	if n.inc != nil {
		cur := w.cur
		if cur != nil && cur.inc == n.inc {
			panic(fmt.Sprintf("sim: node %s restarting itself; restart it from a world task", id))
		}
		w.Crash(id)
	}
	w.start(n)
}

// tasksPort is the sim rt.Tasks of one incarnation.
type tasksPort struct {
	w   *World
	inc *incarnation
}

var _ rt.Tasks = (*tasksPort)(nil)

// Spawn starts a task of the node with the node's lifetime context. On a
// crashed incarnation it does nothing.
func (p *tasksPort) Spawn(name string, fn func(ctx context.Context)) {
	switch {
	case p.inc == nil:
		p.w.Go(name, fn)
	case !p.inc.dead:
		p.w.spawn(name, p.inc, p.inc.life, fn)
	}
}

// NewEvent returns an unset sim event.
func (p *tasksPort) NewEvent() rt.Event {
	e := &event{w: p.w, inc: p.inc}
	e.waiters = e.first[:0] // most events have one waiter: no allocation for it
	return e
}

// NewMutex returns a sim mutex.
func (p *tasksPort) NewMutex() rt.Mutex { return p.w.newMutex() }

// WithCancel returns a sim context cancelled with its parent or by cancel.
func (p *tasksPort) WithCancel(parent context.Context) (context.Context, context.CancelFunc) {
	c := p.w.newCtx(parent)
	return c, func() { c.cancel(context.Canceled) }
}

// WithTimeout returns a sim context also cancelled after d of virtual time.
func (p *tasksPort) WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return p.w.withTimeout(parent, d)
}

// Tasks returns an rt.Tasks whose Spawn starts world tasks, for workload
// code that needs events, futures or quorum waits outside any node.
func (w *World) Tasks() rt.Tasks { return &tasksPort{w: w} }

func (w *World) newMutex() *mutex { return &mutex{w: w} }
