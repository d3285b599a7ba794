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
		results.Int("copies_moved", ""), results.Int("copies_min", ""), results.Int("blocks", ""),
		results.Int("block_copies_moved", ""), results.Int("block_copies_predicted", ""),
		results.Int("block_copies_dropped", ""), results.Int("moved", "bytes"), results.Int("wire", "bytes"),
		results.Duration("applied", "s", 3), results.Duration("acked", "s", 3), results.Duration("synced", "s", 3),
		results.Duration("retired", "s", 3), results.Duration("converged", "s", 3))
	for _, tr := range trs {
		b := tr.blocks
		must(t.Add(tr.ch.name, tr.version, tr.summary.Moved, tr.minCopies, b.blocks, opt(b.moved), opt(b.predicted),
			opt(b.dropped), opt(b.bytes), opt(tr.wire), optTime(tr.applied), since(tr.acked, tr.applied),
			since(tr.synced, tr.applied), since(tr.retired, tr.applied), since(tr.converged, tr.applied)))
	}
	return t
}

// moveTable is moves.csv, tidy: one row per change and count.
func moveTable(trs []transition) *results.Table {
	t := results.NewTable("moves", results.Text("change"), results.Text("count"), results.Int("copies", ""))
	for _, tr := range trs {
		must(t.Add(tr.ch.name, "partition copies moved", tr.summary.Moved))
		must(t.Add(tr.ch.name, "partition copies, minimum", tr.minCopies))
		must(t.Add(tr.ch.name, "block copies moved", opt(tr.blocks.moved)))
		must(t.Add(tr.ch.name, "block copies predicted", opt(tr.blocks.predicted)))
	}
	return t
}

func windowTable(trs []transition, tl timeline) *results.Table {
	t := results.NewTable("windows", results.Duration("start", "s", 3), results.Duration("end", "s", 3), results.Text("label"))
	for _, tr := range trs {
		if tr.applied < 0 {
			continue
		}
		end := max(tr.retired, tr.converged)
		if tr.retired < 0 || tr.converged < 0 {
			end = tl.end()
		}
		must(t.Add(tr.applied, end, tr.ch.name))
	}
	return t
}

func latencyFigure() spec.Figure {
	return spec.Figure{Name: "rebalance", Data: "rebalance.csv", Output: spec.Output{HeightCM: 12},
		TimeSeries: &spec.TimeSeries{
			Title: "A node, then a zone, joins under load (shaded: apply → old version retired and blocks moved)",
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
		Title:    "Copies moved per change: partitions vs minimum, blocks vs prediction",
		Category: "change", Value: "copies", Series: "count",
		XAxis: spec.Axis{Label: "Change"}, YAxis: spec.Axis{Label: "Copies"},
	}}
}

func ptr(f float64) *float64 { return &f }

func printRun(s *lab.Session, trs []transition, rs []checker.Result) {
	s.Printf("%-10s %3s %6s %5s %7s %9s %8s %9s %8s %9s %9s %11s %8s\n", "change", "v", "moved", "min", "blocks",
		"predicted", "dropped", "moved_MB", "acked_s", "synced_s", "retired_s", "converged_s", "wire_MB")
	for _, tr := range trs {
		b := tr.blocks
		s.Printf("%-10s %3d %6d %5d %7s %9s %8s %9s %8s %9s %9s %11s %8s\n", tr.ch.name, tr.version, tr.summary.Moved,
			tr.minCopies, cell(b.moved), cell(b.predicted), cell(b.dropped), mb(b.bytes), secs(tr.acked, tr.applied),
			secs(tr.synced, tr.applied), secs(tr.retired, tr.applied), secs(tr.converged, tr.applied), mb(tr.wire))
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
		s.Goal(lab.Goal{Name: "old version retired everywhere", Subject: tr.ch.name, Value: reached(tr.retired),
			Cmp: lab.Equal, Limit: 1, Unit: "bool", Note: "the transition did not complete before the next change or the end"})
		s.Goal(lab.Goal{Name: "data blocks on exactly their new nodes", Subject: tr.ch.name, Value: reached(tr.converged),
			Cmp: lab.Equal, Limit: 1, Unit: "bool", Note: "blocks still moving at the next change or the end"})
		if tr.blocks.moved >= 0 {
			s.Goal(lab.Goal{Name: "block copies moved vs layout's prediction", Subject: tr.ch.name,
				Value: float64(tr.blocks.moved), Cmp: lab.Equal, Limit: float64(tr.blocks.predicted), Unit: "copies"})
		}
	}
	s.Goal(lab.Goal{Name: "violations", Subject: checker.CheckRAW, Value: float64(lab.Violations(rs, checker.CheckRAW)),
		Cmp: lab.Equal, Limit: 0, Unit: "violations"})
}

// reached is 1 if the time at was reached, 0 if not.
func reached(at time.Duration) float64 {
	if at < 0 {
		return 0
	}
	return 1
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
