package checker

import (
	"fmt"
	"sort"
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
// were invoked before it returned; later writes can always be linearized
// after it, so leaving them out keeps the search small.
func porcupineRead(m porcupine.Model, g *register, writes []porcupine.Operation, r Op, timeout time.Duration) porcupine.CheckResult {
	n := sort.Search(len(g.writes), func(i int) bool { return g.writes[i].Call > r.Return })
	ops := make([]porcupine.Operation, n+1)
	copy(ops, writes[:n])
	ops[n] = regOperation(r, true)
	return porcupine.CheckOperationsTimeout(m, ops, timeout)
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

// operations returns the register's writes and reads for porcupine.
func (g *register) operations() []porcupine.Operation {
	ops := make([]porcupine.Operation, 0, len(g.writes)+len(g.reads))
	for _, w := range g.writes {
		ops = append(ops, regOperation(w, false))
	}
	for _, r := range g.reads {
		ops = append(ops, regOperation(r, true))
	}
	return ops
}
