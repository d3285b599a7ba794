package checker

import (
	"fmt"
	"time"

	"github.com/anishathalye/porcupine"
)

// ReadAfterWrite checks read-after-write per register with porcupine, as
// DESIGN.md §4 prescribes: for each successful read, the writes of its
// register that may have happened (acknowledged ones with their return
// stamp, unknown ones with return Inf) plus that one read must be
// linearizable against a register model. Each read is a small, separate
// porcupine search capped by Options.Timeout; a search that times out takes
// the sweep's verdict and is counted in Info.
func ReadAfterWrite(h History, o Options) Result {
	model := registerModel()
	var vs []Violation
	reads, timeouts, disagree := 0, 0, 0
	for _, g := range registers(h, o.vocab()) {
		writes := make([]porcupine.Operation, len(g.writes))
		for i, w := range g.writes {
			writes[i] = regOperation(w, false)
		}
		for _, r := range g.reads {
			reads++
			sv, sweepOK := g.sweepRead(r)
			switch porcupineRead(model, g, writes, r, o.timeout()) {
			case porcupine.Unknown:
				timeouts++
				if !sweepOK {
					vs = append(vs, sv)
				}
			case porcupine.Illegal:
				if sweepOK {
					disagree++
					sv = Violation{Rule: "stale-read", Key: g.name, Ops: []OpID{r.ID},
						Explain: "porcupine finds no linearization of the writes with this read (the sweep does)"}
				}
				vs = append(vs, sv)
			default:
				if !sweepOK {
					disagree++
				}
			}
		}
	}
	info := fmt.Sprintf("%d reads, %d porcupine timeouts, %d disagreements with the sweep", reads, timeouts, disagree)
	return newResult(CheckRAW, reads, vs, info)
}

// porcupineRead checks one read against the writes of its register that
// matter to it (see relevant).
func porcupineRead(m porcupine.Model, g *register, writes []porcupine.Operation, r Op, timeout time.Duration) porcupine.CheckResult {
	idx := g.relevant(r)
	ops := make([]porcupine.Operation, 0, len(idx)+1)
	for _, i := range idx {
		ops = append(ops, writes[i])
	}
	ops = append(ops, regOperation(r, true))
	return porcupine.CheckOperationsTimeout(m, ops, timeout)
}

// relevant returns the indexes of the writes porcupine needs to judge read
// r. Leaving out the others cannot change the verdict, and keeps each
// search to the handful of writes concurrent with r:
//   - a write invoked after r returned can always be linearized after r;
//   - an unknown-outcome write has no return, so nothing must follow it: if
//     r did not see its value it can be linearized last, after r; of the
//     unknown deletes, the earliest-invoked one can stand for all;
//   - a write that returned before the latest-invoked write W acknowledged
//     before r was invoked must precede W, which precedes r, so r cannot
//     see it, with or without it in the history (values are unique).
//
// The cross-validation test also runs porcupine on the unpruned history.
func (g *register) relevant(r Op) []int {
	latest, any := g.acked.latestBefore(r.Call)
	var idx []int
	unknownDelete := false
	for i, w := range g.writes {
		switch {
		case w.Call > r.Return:
			return idx // writes are sorted by call
		case any && w.Return < latest.Call:
		case w.Outcome == Unknown && w.Value == "" && len(r.Observed) == 0:
			if !unknownDelete {
				idx = append(idx, i)
			}
			unknownDelete = true
		case w.Outcome == Unknown && !contains(r.Observed, w.Value):
		default:
			idx = append(idx, i)
		}
	}
	return idx
}

// porcupineReadAll is porcupineRead without pruning, for cross-validation.
func porcupineReadAll(m porcupine.Model, writes []porcupine.Operation, r Op) porcupine.CheckResult {
	ops := append(append([]porcupine.Operation(nil), writes...), regOperation(r, true))
	return porcupine.CheckOperationsTimeout(m, ops, 0)
}

// ReadAfterWriteSweep checks read-after-write directly, without porcupine:
// a read must have observed a write invoked before it returned, and no
// write acknowledged before the read was invoked may have been invoked
// after that write returned. It agrees with ReadAfterWrite (see the
// cross-validation test) and runs in O(n log n) per register.
func ReadAfterWriteSweep(h History, o Options) Result {
	var vs []Violation
	reads := 0
	for _, g := range registers(h, o.vocab()) {
		for _, r := range g.reads {
			reads++
			if v, ok := g.sweepRead(r); !ok {
				vs = append(vs, v)
			}
		}
	}
	return newResult(CheckRAWSweep, reads, vs, fmt.Sprintf("%d reads", reads))
}

// Linearizability checks each register's whole history (writes that may
// have happened and successful reads) with porcupine. Garage does not
// promise it, so the result is a canary: reported, never a gate.
func Linearizability(h History, o Options) Result {
	model := registerModel()
	var vs []Violation
	keys, timeouts := 0, 0
	for _, g := range registers(h, o.vocab()) {
		keys++
		switch porcupine.CheckOperationsTimeout(model, g.operations(), o.timeout()) {
		case porcupine.Unknown:
			timeouts++
		case porcupine.Illegal:
			vs = append(vs, Violation{Rule: "not-linearizable", Key: g.name,
				Explain: fmt.Sprintf("no linearization of %d writes and %d reads", len(g.writes), len(g.reads))})
		}
	}
	res := newResult(CheckLinear, keys, vs, fmt.Sprintf("%d registers, %d porcupine timeouts", keys, timeouts))
	res.Canary = true
	return res
}

// operations returns the register's writes and reads for porcupine,
// leaving out unknown-outcome writes whose value no read saw: with no
// return they can always be linearized last, where nobody sees them.
func (g *register) operations() []porcupine.Operation {
	seen := make(map[string]bool)
	for _, r := range g.reads {
		for _, v := range r.Observed {
			seen[v] = true
		}
	}
	ops := make([]porcupine.Operation, 0, len(g.writes)+len(g.reads))
	for _, w := range g.writes {
		if w.Outcome != Unknown || w.Value == "" || seen[w.Value] {
			ops = append(ops, regOperation(w, false))
		}
	}
	for _, r := range g.reads {
		ops = append(ops, regOperation(r, true))
	}
	return ops
}
