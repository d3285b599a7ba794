package variants

import (
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

func write(s *lab.Session, rs []result) error {
	for _, err := range []error{s.Table(latencyTable(rs)), s.Table(wireTable(rs)), s.Table(violationTable(rs)),
		s.Figure(latencyFigure(rs)), s.Figure(wireFigure(rs)), s.Figure(violationFigure(rs))} {
		if err != nil {
			return err
		}
	}
	printTable(s, rs)
	return nil
}

func settings(rs []result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.v.Setting()
	}
	return out
}

func latencyTable(rs []result) *results.Table {
	t := results.NewTable("variants", lab.Cols([]results.Column{results.Text("switch"), results.Text("variant"),
		results.Text("setting"), results.Text("endpoint")}, lab.LatencyColumns())...)
	for _, r := range rs {
		for _, st := range r.m.Stats {
			must(t.Add(lab.Row([]any{r.v.Switch, r.v.Value, r.v.Setting(), st.Kind}, lab.LatencyCells(st))...))
		}
	}
	return t
}

func wireTable(rs []result) *results.Table {
	t := results.NewTable("wire", results.Text("switch"), results.Text("variant"), results.Text("setting"),
		results.Int("requests", ""), results.Int("wire", "bytes"), results.Float("per_request", "bytes", 1))
	for _, r := range rs {
		must(t.Add(r.v.Switch, r.v.Value, r.v.Setting(), r.requests, r.wire, float64(r.wire)/float64(max(r.requests, 1))))
	}
	return t
}

func violationTable(rs []result) *results.Table {
	t := results.NewTable("violations", results.Text("switch"), results.Text("variant"), results.Text("setting"),
		results.Text("nemesis"), results.Int("runs", ""), results.Int("failed_runs", ""))
	for _, r := range rs {
		for _, n := range nemeses(rs) {
			c := r.violations[n]
			must(t.Add(r.v.Switch, r.v.Value, r.v.Setting(), n, c[0], c[1]))
		}
	}
	return t
}

// nemeses lists the nemeses of the campaigns.
func nemeses([]result) []string { return paramsOf(lab.Options{}).nemeses }

func latencyFigure(rs []result) spec.Figure {
	return spec.Figure{Name: "variants-latency", Data: "variants.csv", Output: spec.Output{WidthCM: 24, HeightCM: 11},
		Bar: &spec.Bar{
			Title:    "Mean latency per design switch (5 nodes, RTT 100 ± 20 ms; error bar: min–max)",
			Category: "setting", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "endpoint",
			Categories: settings(rs), SeriesOrder: endpoint.Strings(endpoint.All()),
			XAxis: spec.Axis{Label: "Switch = value (the first of each switch is the default)"},
			YAxis: spec.Axis{Label: "Latency", Unit: "ms"},
		}}
}

func wireFigure(rs []result) spec.Figure {
	return spec.Figure{Name: "variants-wire", Data: "wire.csv", Output: spec.Output{WidthCM: 24, HeightCM: 9},
		Bar: &spec.Bar{
			Title:    "Bytes on the simulated wire per request (background traffic included)",
			Category: "setting", Value: "per_request_bytes", Categories: settings(rs),
			XAxis: spec.Axis{Label: "Switch = value"}, YAxis: spec.Axis{Label: "Bytes per request"},
		}}
}

func violationFigure(rs []result) spec.Figure {
	return spec.Figure{Name: "variants-violations", Data: "violations.csv", Output: spec.Output{WidthCM: 24, HeightCM: 9},
		HeatMap: &spec.HeatMap{
			Title: "Register campaigns with a violation, per design switch and nemesis",
			X:     "setting", Y: "nemesis", Value: "failed_runs", XOrder: settings(rs), YOrder: nemeses(rs),
			XAxis: spec.Axis{Label: "Switch = value"}, YAxis: spec.Axis{Label: "Nemesis"},
			ColorAxis: spec.Axis{Label: "Failed runs", Min: ptr(0)}, Format: "%.0f",
		}}
}

func ptr(f float64) *float64 { return &f }

func printTable(s *lab.Session, rs []result) {
	s.Printf("%-26s", "setting")
	for _, n := range endpoint.All() {
		s.Printf(" %12s", n)
	}
	s.Printf(" %10s  %s (ms; failed runs of each campaign)\n", "B/request", nemeses(rs))
	for _, r := range rs {
		s.Printf("%-26s", r.v.Setting())
		for _, n := range endpoint.All() {
			s.Printf(" %12.1f", lab.Ms(r.m.Stat(n).Mean))
		}
		s.Printf(" %10.0f", float64(r.wire)/float64(max(r.requests, 1)))
		for _, n := range nemeses(rs) {
			s.Printf(" %d/%d", r.violations[n][1], r.violations[n][0])
		}
		s.Printf("\n")
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
