package lab

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots"
)

// Outcome is what one run of an experiment produced.
type Outcome struct {
	Name    string
	World   results.World
	Dir     string
	Figures []string // PNG paths
	Goals   []Goal
	Wall    time.Duration
	Err     error // the run could not be carried out
}

// Missed returns the goals that were not met.
func (o Outcome) Missed() []Goal {
	var out []Goal
	for _, g := range o.Goals {
		if !g.Met() {
			out = append(out, g)
		}
	}
	return out
}

// Passed reports whether the run finished and met every goal.
func (o Outcome) Passed() bool { return o.Err == nil && len(o.Missed()) == 0 }

// Verdict is the run's last line: PASS or FAIL, why, and where the
// results are.
func (o Outcome) Verdict() string {
	head := fmt.Sprintf("%s (%s)", o.Name, o.World)
	switch {
	case o.Err != nil:
		return fmt.Sprintf("FAIL %s: %v; results in %s", head, o.Err, o.Dir)
	case len(o.Missed()) > 0:
		return fmt.Sprintf("FAIL %s: %d of %d goals missed (see goals.csv); results in %s",
			head, len(o.Missed()), len(o.Goals), o.Dir)
	}
	met := fmt.Sprintf("%d goals met", len(o.Goals))
	if len(o.Goals) == 0 {
		met = "done (it measures no goal)"
	}
	return fmt.Sprintf("PASS %s: %s in %v; results in %s", head, met, o.Wall.Round(time.Millisecond), o.Dir)
}

// Run runs e with o: it (re)creates results/<name>/, lets e measure and
// write its tables and figure specs, then writes goals.csv and meta.json,
// draws every figure, and prints the figures' paths, the goal lines and
// the verdict to o.Log.
func Run(ctx context.Context, e Experiment, o Options) Outcome {
	o = o.withDefaults()
	start := time.Now()
	out := Outcome{Name: e.Name, World: o.World, Dir: filepath.Join(o.Out, e.Name)}
	s, err := newSession(e, o, start)
	if err == nil {
		err = e.Run(ctx, s)
	}
	if err == nil {
		err = s.finish(start)
	}
	out.Err, out.Wall = err, time.Since(start)
	if s != nil {
		out.Goals = s.goals
		for _, f := range s.figures {
			out.Figures = append(out.Figures, filepath.Join(s.Dir(), f+".png"))
		}
	}
	report(o, out)
	return out
}

func newSession(e Experiment, o Options, start time.Time) (*Session, error) {
	if !e.Supports(o.World) {
		return nil, fmt.Errorf("%s does not run in world %q (it runs in %v)", e.Name, o.World, e.Worlds)
	}
	if o.World == results.Target && o.Target == nil {
		return nil, fmt.Errorf("world %q needs a target file", o.World)
	}
	d, err := results.Create(o.Out, e.Name)
	if err != nil {
		return nil, err
	}
	s := &Session{Options: o, Exp: e, dir: d, start: start, params: map[string]any{"quick": o.Quick}}
	return s, s.clean()
}

// finish writes goals.csv and meta.json and draws the figures.
func (s *Session) finish(start time.Time) error {
	if len(s.goals) > 0 {
		if err := s.Table(goalTable(s.goals)); err != nil {
			return err
		}
	}
	if s.Target != nil && s.World == results.Target {
		s.Param("target", s.Target.Describe())
	}
	m := results.Meta{World: s.World, Seed: s.Seed, Params: s.params, Started: start,
		Wall: time.Since(start), Virtual: s.virtual, Build: results.ReadBuild(s.Repo)}
	if err := s.dir.WriteMeta(m); err != nil {
		return err
	}
	if len(s.figures) == 0 {
		return nil
	}
	return plots.Render(s.Dir())
}

// report prints the figures, goals and verdict of a run.
func report(o Options, out Outcome) {
	for _, f := range out.Figures {
		fmt.Fprintf(o.Log, "figure %s\n", f)
	}
	for _, g := range out.Goals {
		fmt.Fprintln(o.Log, g)
	}
	fmt.Fprintln(o.Log, out.Verdict())
}
