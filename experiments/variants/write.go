package variants

import (
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

func write(s *lab.Session, rs []result) error {
	for _, err := range []error{s.Table(latencyTable(rs)), s.Table(wireTable(rs)), s.Table(violationTable(rs)),
		s.Table(largeTable(rs)), s.Table(largeBytesTable(rs)), s.Figure(latencyFigure(rs)), s.Figure(wireFigure(rs)),
		s.Figure(violationFigure(rs)), s.Figure(largeFigure(rs)), s.Figure(largeBytesFigure(rs))} {
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

// largeTable is large.csv: per variant and operation, the latency of the
// large objects.
func largeTable(rs []result) *results.Table {
	t := results.NewTable("large", lab.Cols([]results.Column{results.Text("switch"), results.Text("variant"),
		results.Text("setting"), results.Text("op")}, lab.LatencyColumns())...)
	for _, r := range rs {
		for _, st := range r.large.stats {
			must(t.Add(lab.Row([]any{r.v.Switch, r.v.Value, r.v.Setting(), st.Kind}, lab.LatencyCells(st))...))
		}
	}
	return t
}

// largeBytesTable is large_bytes.csv, tidy: per variant, the bytes one
// large object takes in block files (every replica) and on the wire.
func largeBytesTable(rs []result) *results.Table {
	t := results.NewTable("large_bytes", results.Text("setting"), results.Text("measure"), results.Int("per_object", "bytes"))
	for _, r := range rs {
		must(t.Add(r.v.Setting(), "stored (all replicas)", r.large.stored))
		must(t.Add(r.v.Setting(), "on the wire (put and get)", r.large.wire))
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

// nemeses lists the nemeses of the campaigns, in the order of the first
// variant's.
func nemeses(rs []result) []string {
	var out []string
	for _, n := range paramsOf(lab.Options{}).nemeses {
		if _, ok := rs[0].violations[n]; ok {
			out = append(out, n)
		}
	}
	return out
}

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
			Title: "S3 campaigns with a violation, per design switch and nemesis",
			X:     "setting", Y: "nemesis", Value: "failed_runs", XOrder: settings(rs), YOrder: nemeses(rs),
			XAxis: spec.Axis{Label: "Switch = value"}, YAxis: spec.Axis{Label: "Nemesis"},
			ColorAxis: spec.Axis{Label: "Failed runs", Min: ptr(0)}, Format: "%.0f",
		}}
}

func largeFigure(rs []result) spec.Figure {
	return spec.Figure{Name: "variants-large", Data: "large.csv", Output: spec.Output{WidthCM: 24, HeightCM: 11},
		Bar: &spec.Bar{
			Title:    "4 MiB objects (compressible log) per design switch — links of 100 Mbit/s (error bar: min–max)",
			Category: "setting", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "op",
			Categories: settings(rs), SeriesOrder: []string{largePut, largeGet},
			XAxis: spec.Axis{Label: "Switch = value (the first of each switch is the default)"},
			YAxis: spec.Axis{Label: "Latency", Unit: "ms"},
		}}
}

func largeBytesFigure(rs []result) spec.Figure {
	return spec.Figure{Name: "variants-bytes", Data: "large_bytes.csv", Output: spec.Output{WidthCM: 24, HeightCM: 9},
		Bar: &spec.Bar{
			Title:    "Bytes per 4 MiB object: block files on every replica, and on the wire",
			Category: "setting", Value: "per_object_bytes", Series: "measure", Categories: settings(rs),
			SeriesOrder: []string{"stored (all replicas)", "on the wire (put and get)"},
			XAxis:       spec.Axis{Label: "Switch = value"}, YAxis: spec.Axis{Label: "Bytes per object"},
		}}
}

func ptr(f float64) *float64 { return &f }

func printTable(s *lab.Session, rs []result) {
	s.Printf("%-22s", "setting")
	for _, n := range endpoint.All() {
		s.Printf(" %12s", n)
	}
	s.Printf(" %10s %9s %9s %10s  %s\n", "B/request", "put4M_ms", "get4M_ms", "stored_MB", "failed runs per nemesis")
	for _, r := range rs {
		s.Printf("%-22s", r.v.Setting())
		for _, n := range endpoint.All() {
			s.Printf(" %12.1f", lab.Ms(r.m.Stat(n).Mean))
		}
		s.Printf(" %10.0f", float64(r.wire)/float64(max(r.requests, 1)))
		for _, st := range r.large.stats {
			s.Printf(" %9.1f", lab.Ms(st.Mean))
		}
		s.Printf(" %10.2f ", float64(r.large.stored)/1e6)
		for _, n := range nemeses(rs) {
			s.Printf(" %s %d/%d", n, r.violations[n][1], r.violations[n][0])
		}
		s.Printf("\n")
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
