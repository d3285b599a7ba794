package lab

import (
	"fmt"
	"strconv"

	"github.com/gogarage/garage/experiments/results"
)

// Cmp is how a goal compares its value with its limit.
type Cmp string

// The comparisons of goals.
const (
	AtMost  Cmp = "<="
	AtLeast Cmp = ">="
	Equal   Cmp = "=="
)

// Goal is one acceptance goal as measured: "GetObject mean latency 98.4 ms
// <= 110 ms".
type Goal struct {
	Name    string // what is measured: "mean latency", "success rate"
	Subject string // of what: an endpoint, a phase, a configuration
	Value   float64
	Cmp     Cmp
	Limit   float64
	Unit    string
	// Note explains a miss: which round trips remain and what would
	// remove them, or why a goal could not be measured.
	Note string
}

// Met reports whether the value satisfies the limit.
func (g Goal) Met() bool {
	switch g.Cmp {
	case AtMost:
		return g.Value <= g.Limit
	case AtLeast:
		return g.Value >= g.Limit
	case Equal:
		return g.Value == g.Limit
	}
	panic(fmt.Sprintf("lab: goal %q: comparison %q", g.Name, g.Cmp))
}

// String renders the goal as a report line.
func (g Goal) String() string {
	state := "goal met   "
	if !g.Met() {
		state = "goal missed"
	}
	s := fmt.Sprintf("%s %s %s: %s %s %s", state, g.Subject, g.Name, g.quantity(g.Value), g.Cmp, g.quantity(g.Limit))
	if g.Note != "" && !g.Met() {
		s += " — " + g.Note
	}
	return s
}

// quantity renders f with the goal's unit.
func (g Goal) quantity(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if g.Unit == "" {
		return s
	}
	return s + " " + g.Unit
}

// goalTable is goals.csv: one row per goal.
func goalTable(gs []Goal) *results.Table {
	t := results.NewTable("goals", results.Text("goal"), results.Text("subject"), results.Float("value", "", -1),
		results.Text("cmp"), results.Float("limit", "", -1), results.Text("unit"), results.Text("met"), results.Text("note"))
	for _, g := range gs {
		if err := t.Add(g.Name, g.Subject, g.Value, string(g.Cmp), g.Limit, g.Unit, strconv.FormatBool(g.Met()), g.Note); err != nil {
			panic(err) // goals hold finite numbers by construction
		}
	}
	return t
}
