package sim

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// StepInfo describes one scheduling step of a run.
type StepInfo struct {
	Step  uint64
	Task  string // node/name, or the world task's name
	ID    uint64 // task sequence number
	VTime time.Duration
	Kind  string // why the task handed the token back: sleep, wait, call...
	Hash  uint64 // trace hash after the step
}

func (s StepInfo) String() string {
	return fmt.Sprintf("step %d: task %s (#%d) at %v, %s, hash %016x", s.Step, s.Task, s.ID, s.VTime, s.Kind, s.Hash)
}

// Divergence is the first step at which two runs of one seed differ. A or B
// is nil when that run ended before the step.
type Divergence struct {
	Step uint64
	A, B *StepInfo
}

func (d *Divergence) String() string {
	side := func(s *StepInfo) string {
		if s == nil {
			return "run ended"
		}
		return s.String()
	}
	return fmt.Sprintf("runs diverge at step %d:\n  A: %s\n  B: %s", d.Step, side(d.A), side(d.B))
}

// stepRec is the compact record of one step kept by run A.
type stepRec struct {
	id    uint64
	vtime time.Duration
	kind  stepKind
	hash  uint64
	name  string
	node  rt.NodeID
}

// recorder keeps run A's steps and, in run B, compares each step with them.
type recorder struct {
	steps   []stepRec
	compare []stepRec // run A's steps, when this is run B
	div     *Divergence
}

func newStepRec(w *World, t *task) stepRec {
	r := stepRec{id: t.id, vtime: w.now, kind: t.kind, hash: w.hash, name: t.name}
	if t.inc != nil {
		r.node = t.inc.n.id
	}
	return r
}

func (r stepRec) info(step uint64) *StepInfo {
	name := r.name
	if r.node != "" {
		name = string(r.node) + "/" + name
	}
	return &StepInfo{Step: step, Task: name, ID: r.id, VTime: r.vtime, Kind: r.kind.String(), Hash: r.hash}
}

// record notes the step just taken; in run B, a step unlike run A's stops
// the world.
func (r *recorder) record(w *World, t *task) {
	rec := newStepRec(w, t)
	if r.compare == nil {
		r.steps = append(r.steps, rec)
		return
	}
	i := w.steps - 1
	if i < uint64(len(r.compare)) && r.compare[i].hash == rec.hash {
		return
	}
	r.div = &Divergence{Step: w.steps, B: rec.info(w.steps)}
	if i < uint64(len(r.compare)) {
		r.div.A = r.compare[i].info(w.steps)
	}
	w.fail(&Failure{Reason: "lockstep: " + r.div.String()})
}

// Lockstep runs seed twice with setup (which adds nodes and tasks; the run
// then goes until idle) and reports the first step where the second run
// departs from the first, or nil if they agree step for step.
func Lockstep(seed uint64, setup func(*World)) (*Divergence, error) {
	return LockstepConfig(Config{Seed: seed}, func(w *World) error {
		setup(w)
		return w.Run()
	})
}

// LockstepConfig is Lockstep with a full config and a drive function that
// sets the world up and runs it (Run, RunFor...). An error of the first
// run is returned as is.
func LockstepConfig(cfg Config, drive func(*World) error) (*Divergence, error) {
	a := &recorder{}
	if err := runRecorded(cfg, a, drive); err != nil {
		return nil, fmt.Errorf("lockstep run A: %w", err)
	}
	b := &recorder{compare: a.steps}
	err := runRecorded(cfg, b, drive)
	if b.div != nil {
		return b.div, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lockstep run B: %w", err)
	}
	if n := uint64(len(b.steps)); n < uint64(len(a.steps)) {
		return &Divergence{Step: n + 1, A: a.steps[n].info(n + 1)}, nil
	}
	return nil, nil
}

func runRecorded(cfg Config, r *recorder, drive func(*World) error) error {
	w := New(cfg)
	defer w.Close()
	w.rec = r
	err := drive(w)
	if r.compare != nil {
		r.steps = r.compare[:min(w.steps, uint64(len(r.compare)))]
	}
	return err
}
