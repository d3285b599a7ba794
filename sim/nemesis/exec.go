package nemesis

import (
	"strings"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Recorder receives every nemesis event (checker.Recorder.Nemesis fits).
type Recorder func(kind, desc string)

// Exec applies faults to one world and remembers how to undo them. It is
// used from world tasks or between runs, never concurrently.
type Exec struct {
	w      *sim.World
	record Recorder
	undos  []pending
	next   int
	events int
}

type pending struct {
	id   int
	kind string
	undo func()
}

// NewExec returns an executor on w reporting events to record (nil: none).
func NewExec(w *sim.World, record Recorder) *Exec {
	if record == nil {
		record = func(string, string) {}
	}
	return &Exec{w: w, record: record}
}

// Apply injects f, records it, and returns a handle for Undo.
func (x *Exec) Apply(f Fault) int {
	x.record(f.Kind, f.Desc)
	x.events++
	undo := f.Start(x.w)
	x.next++
	if undo != nil {
		x.undos = append(x.undos, pending{id: x.next, kind: f.Kind, undo: undo})
	}
	return x.next
}

// Undo ends the fault of handle h if it is still active, and records it.
func (x *Exec) Undo(h int) {
	for i, p := range x.undos {
		if p.id == h {
			x.undos = append(x.undos[:i], x.undos[i+1:]...)
			p.undo()
			x.record("heal-"+p.kind, "")
			x.events++
			return
		}
	}
}

// Active returns how many applied faults are not yet undone.
func (x *Exec) Active() int { return len(x.undos) }

// Events returns how many events were recorded.
func (x *Exec) Events() int { return x.events }

// Heal undoes every active fault, newest first, then resets the world to a
// fault-free state whatever the faults left: no partition, no loss or
// duplication, clocks back to true time without drift, no failpoint
// armed, no pending disk error, every node up and running (none paused). Latency overrides are left
// to the undos of the faults that made them.
func (x *Exec) Heal() {
	for len(x.undos) > 0 {
		x.Undo(x.undos[len(x.undos)-1].id)
	}
	m := x.w.Network()
	m.HealAll()
	m.SetLoss(netem.AllLinks(), 0)
	m.SetDup(netem.AllLinks(), 0)
	for _, id := range x.w.Nodes() {
		x.resetNode(id)
	}
	x.disarmAll()
	x.record("heal", "all faults healed")
	x.events++
}

func (x *Exec) resetNode(id rt.NodeID) {
	c := x.w.Clock(id)
	c.SetDrift(0)
	c.SetOffset(0)
	x.w.Disk(id).FailNext(0, nil)
	x.w.Resume(id)
	if !x.w.Up(id) {
		x.w.Restart(id)
	}
}

// disarmAll disarms every failpoint ArmedFaults lists ("node:name").
func (x *Exec) disarmAll() {
	for _, a := range x.w.ArmedFaults() {
		node, name, _ := strings.Cut(a, ":")
		x.w.Disarm(rt.NodeID(node), name)
	}
}
