package nemesis

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Crash is the class of node crashes: a power cut of one random node, or of
// a random minority, losing what their disks had not synced; the undo
// restarts them over their durable state.
type Crash struct{}

// Name returns "crash".
func (Crash) Name() string { return "crash" }

// Draw picks the nodes to crash.
func (Crash) Draw(r *sim.Rand, t Topology) Fault {
	victims := []rt.NodeID{t.Nodes[r.IntN(len(t.Nodes))]}
	if r.IntN(2) == 0 {
		victims = pickN(r, t.Nodes, 1+r.IntN(max(1, (len(t.Nodes)-1)/2)))
	}
	return crashFault("crash", victims)
}

// ZoneDown is the class of zone failures: every node of a random zone
// crashes, and restarts on undo.
type ZoneDown struct{}

// Name returns "zone".
func (ZoneDown) Name() string { return "zone" }

// Draw picks the zone.
func (ZoneDown) Draw(r *sim.Rand, t Topology) Fault {
	zs := t.ZoneNames()
	z := zs[r.IntN(len(zs))]
	f := crashFault("zone-down", t.InZone(z))
	f.Desc = "zone " + z + ": " + f.Desc
	return f
}

func crashFault(kind string, victims []rt.NodeID) Fault {
	return Fault{Kind: kind, Desc: set(names(victims)), Start: func(w *sim.World) func() {
		for _, id := range victims {
			w.Crash(id)
		}
		return func() {
			for _, id := range victims {
				if !w.Up(id) {
					w.Restart(id)
				}
			}
		}
	}}
}

// Pause is the class of paused processes (SIGSTOP, a long GC pause, a VM
// freeze): one random node runs none of its tasks until the undo resumes
// it. Its timers still come due and requests to it still arrive, but
// nothing of it runs, so calls to it time out; its wall clock keeps
// moving, and it sees the time jump on resume.
type Pause struct{}

// Name returns "pause".
func (Pause) Name() string { return "pause" }

// Draw picks the node to pause.
func (Pause) Draw(r *sim.Rand, t Topology) Fault {
	id := t.Nodes[r.IntN(len(t.Nodes))]
	return Fault{Kind: "pause", Desc: string(id), Start: func(w *sim.World) func() {
		w.Pause(id)
		return func() { w.Resume(id) }
	}}
}

// pickN returns n distinct members of ids, in random order.
func pickN(r *sim.Rand, ids []rt.NodeID, n int) []rt.NodeID {
	perm := r.Perm(len(ids))
	out := make([]rt.NodeID, min(n, len(ids)))
	for i := range out {
		out[i] = ids[perm[i]]
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%dms", d.Milliseconds()) }
