package sim

import (
	"github.com/gogarage/garage/node/rt"
)

// A paused incarnation keeps everything that happens to it but runs none
// of it: tasks made runnable (woken by timers, replies, cancellations,
// mutex hand-offs, or spawned for incoming requests) wait in its held list
// instead of the scheduler's runnable set, and the callbacks of its
// started calls wait in heldDone. Resume gives both back in the order they
// arrived; Crash unwinds them.

// heldDone is the outcome of a started call of a paused node, waiting for
// its callback to run.
type heldDone struct {
	cb    func([]byte, error)
	reply []byte
	err   error
}

// Pause stops node id as SIGSTOP would: none of its tasks runs until
// Resume, although its timers still come due, messages to it are still
// delivered (their handler tasks wait) and its wall clock keeps moving.
// Calls from others to it time out as usual. Pausing a down or paused node
// does nothing. A task of the node that calls Pause runs on to its next
// blocking point.
func (w *World) Pause(id rt.NodeID) {
	inc := w.mustNode(id).inc
	if inc == nil || inc.paused {
		return
	}
	inc.paused = true
	w.paused++
	kept := w.runnable[:0]
	for _, t := range w.runnable {
		if t.inc == inc {
			inc.held = append(inc.held, t)
			continue
		}
		kept = append(kept, t)
	}
	clear(w.runnable[len(kept):])
	w.runnable = kept
}

// Resume lets paused node id run again: the tasks that became runnable
// meanwhile join the runnable set, and the callbacks of its started calls
// that ended meanwhile run as soon as nothing is runnable at the current
// virtual time. Resuming a node that is not paused does nothing.
func (w *World) Resume(id rt.NodeID) {
	inc := w.mustNode(id).inc
	if inc == nil || !inc.paused {
		return
	}
	w.unpause(inc)
	if len(inc.heldDone) > 0 {
		w.after(0, func() { w.runHeldDone(inc) })
	}
}

// Paused reports whether node id is up and paused.
func (w *World) Paused(id rt.NodeID) bool {
	inc := w.mustNode(id).inc
	return inc != nil && inc.paused
}

// unpause clears inc's pause and makes its held tasks runnable.
func (w *World) unpause(inc *incarnation) {
	inc.paused = false
	w.paused--
	for _, t := range inc.held {
		w.runnable = append(w.runnable, t)
	}
	clear(inc.held)
	inc.held = inc.held[:0]
}

// hold keeps a runnable task of a paused incarnation aside.
func (inc *incarnation) hold(t *task) { inc.held = append(inc.held, t) }

// holdDone keeps the outcome of a started call of a paused incarnation
// until it resumes.
func (inc *incarnation) holdDone(cb func([]byte, error), reply []byte, err error) {
	inc.heldDone = append(inc.heldDone, heldDone{cb: cb, reply: reply, err: err})
}

// runHeldDone runs the held callbacks of inc, unless it was paused again
// (they then wait for the next Resume) or crashed (Crash ran them).
func (w *World) runHeldDone(inc *incarnation) {
	for len(inc.heldDone) > 0 && !inc.paused {
		d := inc.heldDone[0]
		inc.heldDone[0] = heldDone{}
		inc.heldDone = inc.heldDone[1:]
		d.cb(d.reply, d.err)
	}
}

// unpauseForCrash releases a crashing incarnation: its held tasks become
// runnable (to unwind) and its held callbacks run with ErrUnreachable, as
// its unfinished calls do.
func (w *World) unpauseForCrash(inc *incarnation) {
	if inc.paused {
		w.unpause(inc)
	}
	done := inc.heldDone
	inc.heldDone = nil
	for _, d := range done {
		d.cb(nil, rt.ErrUnreachable)
	}
}

// heldTasks returns the tasks held by paused nodes, for Blocked.
func (w *World) heldTasks() []*task {
	var out []*task
	for _, id := range w.order {
		if inc := w.nodes[id].inc; inc != nil && inc.paused {
			out = append(out, inc.held...)
		}
	}
	return out
}
