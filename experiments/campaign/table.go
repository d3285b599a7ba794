package campaign

import (
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/checker"
)

// gateColumns are the gating checks of the campaign table, in order, with
// their column titles.
func gateColumns() [][2]string {
	return [][2]string{{checker.CheckRAW, "raw"}, {checker.CheckList, "list"},
		{checker.CheckDurability, "durab"}, {checker.CheckTSKey, "ts"}, {checker.CheckConvergence, "conv"}}
}

func (r *SummaryRow) add(o RunOutcome) {
	r.Runs++
	if o.Failed() {
		r.Failed++
	}
	if o.Err != nil {
		r.Errors++
	}
	for _, c := range o.Result.Results {
		switch {
		case c.Name == checker.CheckLinear:
			r.Canary += len(c.Violations)
		case c.Gate():
			r.Violations[c.Name] += len(c.Violations)
		}
	}
	r.Ops += o.Result.OpCount
	r.Events += o.Result.Events
	r.Virtual += o.Result.Virtual
	r.Wall += o.Result.Wall
}

// Print writes the table: runs, failed runs, violations per gating check,
// the linearizability canary, operations, nemesis events, virtual and wall
// time summed over the runs of each row, then a total row.
func (s Summary) Print(w io.Writer) error {
	cols := gateColumns()
	head := fmt.Sprintf("%-9s %-10s %6s %6s %5s", "workload", "nemesis", "runs", "failed", "errs")
	for _, c := range cols {
		head += fmt.Sprintf(" %6s", c[1])
	}
	head += fmt.Sprintf(" %7s %8s %7s %11s %9s\n", "canary", "ops", "events", "virtual_s", "wall_s")
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	for _, r := range s.Rows {
		if _, err := io.WriteString(w, r.line(cols)); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, s.Total().line(cols)); err != nil {
		return err
	}
	return s.printFaults(w)
}

// printFaults lists the failpoints the campaign armed and how often each
// fired: a point armed but never hit tests nothing.
func (s Summary) printFaults(w io.Writer) error {
	if len(s.Faults) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "%-22s %6s %8s %8s\n", "failpoint", "runs", "armings", "hits"); err != nil {
		return err
	}
	for _, f := range s.Faults {
		if _, err := fmt.Fprintf(w, "%-22s %6d %8d %8d\n", f.Name, f.Runs, f.Armings, f.Hits); err != nil {
			return err
		}
	}
	return nil
}

func (r SummaryRow) line(cols [][2]string) string {
	l := fmt.Sprintf("%-9s %-10s %6d %6d %5d", r.Workload, r.Nemesis, r.Runs, r.Failed, r.Errors)
	for _, c := range cols {
		l += fmt.Sprintf(" %6d", r.Violations[c[0]])
	}
	return l + fmt.Sprintf(" %7d %8d %7d %11.1f %9.2f\n", r.Canary, r.Ops, r.Events, r.Virtual.Seconds(), r.Wall.Seconds())
}

func (r *SummaryRow) merge(o SummaryRow) {
	r.Runs, r.Failed, r.Errors = r.Runs+o.Runs, r.Failed+o.Failed, r.Errors+o.Errors
	for k, v := range o.Violations {
		r.Violations[k] += v
	}
	r.Canary, r.Ops, r.Events = r.Canary+o.Canary, r.Ops+o.Ops, r.Events+o.Events
	r.Virtual, r.Wall = r.Virtual+o.Virtual, r.Wall+o.Wall
}

// FailRate returns the fraction of runs of the row that failed.
func (r SummaryRow) FailRate() float64 {
	if r.Runs == 0 {
		return 0
	}
	return float64(r.Failed) / float64(r.Runs)
}

// Total sums every row.
func (s Summary) Total() SummaryRow {
	t := SummaryRow{Workload: "total", Violations: map[string]int{}}
	for _, r := range s.Rows {
		t.merge(r)
	}
	return t
}

// Summary names the failing gates of the run with their violation counts,
// or the error that stopped it.
func (o RunOutcome) Summary() string {
	if o.Err != nil {
		return "error: " + o.Err.Error()
	}
	var parts []string
	for _, c := range o.Result.Results {
		if c.Gate() && !c.OK {
			parts = append(parts, fmt.Sprintf("%s %d", c.Name, len(c.Violations)))
		}
	}
	return strings.Join(parts, ", ")
}
