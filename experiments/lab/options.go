package lab

import (
	"io"

	"github.com/gogarage/garage/experiments/results"
)

// Options are the choices of one run, shared by every experiment.
type Options struct {
	World results.World // Sim (default when empty), Real or Target
	// Quick runs the reduced size (CI: seconds in the simulator).
	Quick bool
	Seed  uint64
	// Out is the root of the results directories ("results").
	Out string
	// Garage is the garage binary of real runs.
	Garage string
	// Target is the deployed cluster of target runs.
	Target *Target
	// Samples, if positive, overrides the samples per endpoint of the
	// latency-type experiments.
	Samples int
	// Sizes, if not empty, overrides the cluster sizes of scaling.
	Sizes []int
	// Repo is the git work tree whose commit meta.json records (".").
	Repo string
	// Log receives the tables, goal lines and the verdict; nil discards.
	Log io.Writer
	// Progress receives progress reports; nil means standard error (a bar
	// on a terminal, lines otherwise). io.Discard silences them.
	Progress io.Writer
}

func (o Options) withDefaults() Options {
	if o.World == "" {
		o.World = results.Sim
	}
	if o.Out == "" {
		o.Out = "results"
	}
	if o.Repo == "" {
		o.Repo = "."
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// Pick returns quick when the run is quick, full otherwise: the one place
// experiments choose their sizes.
func Pick[T any](o Options, full, quick T) T {
	if o.Quick {
		return quick
	}
	return full
}
