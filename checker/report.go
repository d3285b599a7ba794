package checker

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Report aggregates results over many runs (seeds × workloads × nemeses)
// into per-check counts. The zero value is ready to use; it is not safe
// for concurrent use.
type Report struct {
	runs int
	rows map[string]*ReportRow
}

// ReportRow is one check's line of a Report.
type ReportRow struct {
	Check        string
	Canary       bool
	Runs         int            // runs that ran the check
	Failed       int            // runs where it found violations
	Violations   int            // total violations
	Checked      int            // total items examined
	Rules        map[string]int // violations per rule
	FirstFailure string         // name of the first failing run added
}

// Add records the results of one run, named by run (e.g. "seed=17
// nemesis=partition").
func (r *Report) Add(run string, results ...Result) {
	if r.rows == nil {
		r.rows = make(map[string]*ReportRow)
	}
	r.runs++
	for _, res := range results {
		row := r.row(res)
		row.Runs++
		row.Checked += res.Checked
		row.Violations += len(res.Violations)
		for _, v := range res.Violations {
			row.Rules[v.Rule]++
		}
		if !res.OK {
			row.Failed++
			if row.FirstFailure == "" {
				row.FirstFailure = run
			}
		}
	}
}

func (r *Report) row(res Result) *ReportRow {
	row, ok := r.rows[res.Name]
	if !ok {
		row = &ReportRow{Check: res.Name, Canary: res.Canary, Rules: make(map[string]int)}
		r.rows[res.Name] = row
	}
	return row
}

// Runs returns the number of runs added.
func (r *Report) Runs() int { return r.runs }

// Failed reports whether any gating (non-canary) check failed in any run.
func (r *Report) Failed() bool {
	for _, row := range r.rows {
		if !row.Canary && row.Failed > 0 {
			return true
		}
	}
	return false
}

// Rows returns the rows in a stable order: the built-in checks in the
// order CheckAll runs them, then convergence, then others by name.
func (r *Report) Rows() []ReportRow {
	out := make([]ReportRow, 0, len(r.rows))
	for _, row := range r.rows {
		out = append(out, *row)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := checkRank(out[i].Check), checkRank(out[j].Check)
		if ri != rj {
			return ri < rj
		}
		return out[i].Check < out[j].Check
	})
	return out
}

func checkRank(name string) int {
	order := []string{CheckRAW, CheckRAWSweep, CheckLinear, CheckList, CheckDurability, CheckTSKey, CheckTSGlobal, CheckConvergence}
	for i, n := range order {
		if n == name {
			return i
		}
	}
	return len(order)
}

// Print writes the report as an aligned table, one row per check.
func (r *Report) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "check\tkind\truns\tfailed\tviolations\tchecked\trules\tfirst failure\n")
	for _, row := range r.Rows() {
		kind := "gate"
		if row.Canary {
			kind = "canary"
		}
		first := row.FirstFailure
		if first == "" {
			first = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", row.Check, kind, row.Runs, row.Failed,
			row.Violations, row.Checked, formatRules(row.Rules), first)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("print report: %w", err)
	}
	return nil
}

func formatRules(rules map[string]int) string {
	if len(rules) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(rules))
	for _, k := range sortedKeys(rules) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, rules[k]))
	}
	return strings.Join(parts, " ")
}
