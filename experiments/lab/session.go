package lab

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

// Session is what a running experiment writes through: its results
// directory, parameters, goals and the virtual time its worlds covered.
// It is used by the experiment's driving goroutine only.
type Session struct {
	Options
	Exp Experiment

	dir     results.Dir
	start   time.Time
	params  map[string]any
	goals   []Goal
	figures []string
	virtual time.Duration
}

// Dir returns the path of the results directory.
func (s *Session) Dir() string { return s.dir.Path() }

// Prefix is the prefix of the object keys a run writes: the experiment's
// name and, on a target, the run's start time too, so that a run never
// reads what an earlier one left in the target's bucket.
func (s *Session) Prefix() string {
	if s.World == results.Target {
		return s.Exp.Name + "/" + s.start.UTC().Format("20060102T150405.000") + "/"
	}
	return s.Exp.Name + "/"
}

// Param records a parameter of the run in meta.json.
func (s *Session) Param(name string, v any) { s.params[name] = v }

// Table writes t as <name>.csv.
func (s *Session) Table(t *results.Table) error { return s.dir.WriteTable(t) }

// Figure writes the spec of a figure drawn from a table already written.
func (s *Session) Figure(f spec.Figure) error {
	if err := s.dir.WriteFigure(f); err != nil {
		return err
	}
	s.figures = append(s.figures, f.Name)
	return nil
}

// Goal records an acceptance goal as measured. A value or limit that is
// not a finite number is a bug of the experiment and panics.
func (s *Session) Goal(g Goal) {
	for _, f := range []float64{g.Value, g.Limit} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			panic(fmt.Sprintf("lab: goal %s %s: value %v, limit %v", g.Subject, g.Name, g.Value, g.Limit))
		}
	}
	s.goals = append(s.goals, g)
}

// AddVirtual adds d to the virtual time the run covered (meta.json).
func (s *Session) AddVirtual(d time.Duration) { s.virtual += d }

// Printf writes a line (or a table) to the run's log.
func (s *Session) Printf(format string, args ...any) { fmt.Fprintf(s.Log, format, args...) }

// Progress returns a progress report of total steps of unit.
func (s *Session) Progress(total int, unit string) *results.Progress {
	o := results.ProgressOptions{Desc: s.Exp.Name, Unit: unit}
	if s.Options.Progress == nil {
		return results.StderrProgress(max(total, 1), o)
	}
	return results.NewProgress(s.Options.Progress, max(total, 1), o)
}

// Status writes a line to the progress stream (standard error unless
// Options.Progress says otherwise): what a long step is doing before its
// first progress report, such as booting a large cluster.
func (s *Session) Status(format string, args ...any) {
	w := s.Options.Progress
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, s.Exp.Name+": "+format+"\n", args...)
}

// clean removes what an earlier run left in the directory: the files an
// experiment writes (tables, specs, figures, meta.json), nothing else.
func (s *Session) clean() error {
	for _, pat := range []string{"*.csv", "*.figure.json", "*.png", "*.svg", "meta.json"} {
		paths, err := filepath.Glob(filepath.Join(s.dir.Path(), pat))
		if err != nil {
			return err
		}
		for _, p := range paths {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}
