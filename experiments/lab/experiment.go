package lab

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gogarage/garage/experiments/results"
)

// Experiment is one named scenario.
type Experiment struct {
	// Name is the experiment's name and the directory of its results.
	Name string
	// Summary is one line for listings.
	Summary string
	// Doc says what the experiment measures, what its tables and figures
	// hold and which goals it checks.
	Doc string
	// Worlds lists where it runs.
	Worlds []results.World
	// Run measures, writing through s. An error means the run could not
	// be carried out; a missed goal is not an error.
	Run func(ctx context.Context, s *Session) error
}

// Supports reports whether e runs in w.
func (e Experiment) Supports(w results.World) bool { return slices.Contains(e.Worlds, w) }

// Registry is a list of experiments, looked up by name.
type Registry []Experiment

// Lookup returns the experiment called name.
func (r Registry) Lookup(name string) (Experiment, error) {
	for _, e := range r {
		if e.Name == name {
			return e, nil
		}
	}
	return Experiment{}, fmt.Errorf("unknown experiment %q (known: %s, all)", name, strings.Join(r.Names(), ", "))
}

// Names returns the experiments' names in order.
func (r Registry) Names() []string {
	out := make([]string, len(r))
	for i, e := range r {
		out[i] = e.Name
	}
	return out
}

// AllWorlds is every world: the simulator, real processes, a target.
func AllWorlds() []results.World { return []results.World{results.Sim, results.Real, results.Target} }
