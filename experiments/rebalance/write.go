package rebalance

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

func write(s *lab.Session, d *driver, rs []checker.Result) error {
	series := lab.SeriesTable("rebalance", lab.Buckets(d.l.H.Ops(), d.t0, d.tl.bucket))
	for _, err := range []error{s.Table(transitionTable(d.res)), s.Table(moveTable(d.res)), s.Table(series),
		s.Table(windowTable(d.res, d.tl)), s.Table(lab.ChecksTable(rs)), s.Figure(latencyFigure()), s.Figure(moveFigure())} {
		if err != nil {
			return err
		}
	}
	printRun(s, d.res, rs)
	goals(s, d.res, rs)
	return nil
}

// opt is v, or an empty cell when negative (not reached, not measured).
func opt[T int | int64](v T) any {
	if v < 0 {
		return nil
	}
	return v
}

func optTime(d time.Duration) any {
	if d < 0 {
		return nil
	}
	return d
}

// since is the time from apply to at, or an empty cell.
func since(at, applied time.Duration) any {
	if at < 0 || applied < 0 {
		return nil
	}
	return at - applied
}

func transitionTable(trs []transition) *results.Table {
	t := results.NewTable("transitions", results.Text("change"), results.Int("version", ""),
		results.Int("copies_moved", ""), results.Int("copies_min", ""), results.Int("entries_moved", ""),
		results.Int("entries_predicted", ""), results.Int("entries_dropped", ""), results.Int("entry", "bytes"),
		results.Int("wire", "bytes"), results.Duration("applied", "s", 3), results.Duration("acked", "s", 3),
		results.Duration("synced", "s", 3), results.Duration("retired", "s", 3))
	for _, tr := range trs {
		e := tr.entries
		must(t.Add(tr.ch.name, tr.version, tr.summary.Moved, tr.minCopies, opt(e.moved), opt(e.predicted), opt(e.dropped),
			opt(e.bytes), opt(tr.wire), optTime(tr.applied), since(tr.acked, tr.applied), since(tr.synced, tr.applied),
			since(tr.retired, tr.applied)))
	}
	return t
}

// moveTable is moves.csv, tidy: one row per change and count.
func moveTable(trs []transition) *results.Table {
	t := results.NewTable("moves", results.Text("change"), results.Text("count"), results.Int("copies", ""))
	for _, tr := range trs {
		must(t.Add(tr.ch.name, "partition copies moved", tr.summary.Moved))
		must(t.Add(tr.ch.name, "partition copies, minimum", tr.minCopies))
	}
	return t
}

func windowTable(trs []transition, tl timeline) *results.Table {
	t := results.NewTable("windows", results.Duration("start", "s", 3), results.Duration("end", "s", 3), results.Text("label"))
	for _, tr := range trs {
		if tr.applied < 0 {
			continue
		}
		end := tr.retired
		if end < 0 {
			end = tl.end()
		}
		must(t.Add(tr.applied, end, tr.ch.name))
	}
	return t
}

func latencyFigure() spec.Figure {
	return spec.Figure{Name: "rebalance", Data: "rebalance.csv", Output: spec.Output{HeightCM: 12},
		TimeSeries: &spec.TimeSeries{
			Title: "A node, then a zone, joins under load (shaded: apply → old version retired)",
			X:     "t_s", Series: "endpoint",
			SeriesOrder: endpoint.Strings([]endpoint.Name{endpoint.GetObject, endpoint.PutObject, endpoint.RemoveObject}),
			XAxis:       spec.Axis{Label: "Time since the load started", Unit: "s"},
			Panels: []spec.Panel{
				{Y: "success_pct", YAxis: spec.Axis{Label: "Success", Unit: "%", Min: ptr(0), Max: ptr(105)}},
				{Y: "p50_ms", YAxis: spec.Axis{Label: "Median latency", Unit: "ms", Min: ptr(0)}},
			},
			WindowData: &spec.WindowTable{Data: "windows.csv", Start: "start_s", End: "end_s", Label: "label"},
		}}
}

func moveFigure() spec.Figure {
	return spec.Figure{Name: "moves", Data: "moves.csv", Bar: &spec.Bar{
		Title:    "Partition copies moved by the layout versus the minimum (256 partitions, RF 3)",
		Category: "change", Value: "copies", Series: "count",
		XAxis: spec.Axis{Label: "Change"}, YAxis: spec.Axis{Label: "Partition copies"},
	}}
}

func ptr(f float64) *float64 { return &f }

func printRun(s *lab.Session, trs []transition, rs []checker.Result) {
	s.Printf("%-10s %3s %7s %7s %8s %9s %8s %9s %8s %8s %9s\n", "change", "v", "moved", "min", "entries", "predicted",
		"bytes", "acked_s", "synced_s", "retired_s", "wire_MB")
	for _, tr := range trs {
		e := tr.entries
		s.Printf("%-10s %3d %7d %7d %8s %9s %8s %9s %8s %8s %9s\n", tr.ch.name, tr.version, tr.summary.Moved, tr.minCopies,
			cell(e.moved), cell(e.predicted), cell(e.bytes), secs(tr.acked, tr.applied), secs(tr.synced, tr.applied),
			secs(tr.retired, tr.applied), mb(tr.wire))
	}
	for _, r := range rs {
		s.Printf("check %s\n", r)
	}
}

func cell[T int | int64](v T) string {
	if v < 0 {
		return "-"
	}
	return fmt.Sprint(v)
}

func secs(at, applied time.Duration) string {
	if at < 0 || applied < 0 {
		return "never"
	}
	return fmt.Sprintf("%.1f", (at - applied).Seconds())
}

func mb(b int64) string {
	if b < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(b)/1e6)
}

func goals(s *lab.Session, trs []transition, rs []checker.Result) {
	for _, tr := range trs {
		s.Goal(lab.Goal{Name: "partition copies moved vs minimum", Subject: tr.ch.name, Value: float64(tr.summary.Moved),
			Cmp: lab.Equal, Limit: float64(tr.minCopies), Unit: "copies"})
		done := 0.0
		if tr.retired >= 0 {
			done = 1
		}
		s.Goal(lab.Goal{Name: "old version retired everywhere", Subject: tr.ch.name, Value: done, Cmp: lab.Equal,
			Limit: 1, Unit: "bool", Note: "the transition did not complete before the next change or the end"})
		if tr.entries.moved >= 0 {
			s.Goal(lab.Goal{Name: "entries copied vs layout's prediction", Subject: tr.ch.name,
				Value: float64(tr.entries.moved), Cmp: lab.Equal, Limit: float64(tr.entries.predicted), Unit: "entries"})
		}
	}
	s.Goal(lab.Goal{Name: "violations", Subject: checker.CheckRAW, Value: float64(lab.Violations(rs, checker.CheckRAW)),
		Cmp: lab.Equal, Limit: 0, Unit: "violations"})
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
