package latency

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/plots/spec"
)

// Goals of the issue, at 100 ms RTT.
const (
	QuorumGoal = 110 * time.Millisecond // GetObject, PutObject, RemoveObject, ListObjects
	LocalGoal  = 2 * time.Millisecond   // ListBuckets
)

// setup is one latency experiment: its topology and title.
type setup struct {
	name, summary, doc, title string
	topo                      lab.Topology
}

// Experiment is "latency": 5 nodes, 100 ms RTT ± 20 ms.
func Experiment() lab.Experiment {
	return setup{name: "latency", topo: lab.Garage5(),
		summary: "5 nodes, 100 ms RTT ± 20 ms: latency per endpoint next to Garage 0.5.0 and MinIO",
		title:   "5 nodes, RTT 100 ± 20 ms"}.experiment()
}

// ThreeDC is "latency-3dc": 6 nodes in 3 data centres.
func ThreeDC() lab.Experiment {
	return setup{name: "latency-3dc", topo: lab.ThreeDCs(6),
		summary: "6 nodes in 3 data centres (0.5 ms inside, 100 ± 20 ms between): latency per endpoint",
		title:   "6 nodes in 3 DCs, RTT 0.5 ms inside, 100 ± 20 ms between"}.experiment()
}

func (st setup) experiment() lab.Experiment {
	return lab.Experiment{Name: st.name, Summary: st.summary, Worlds: lab.AllWorlds(), Run: st.run,
		Doc: st.summary + `.
One client attached to the first node sends one request at a time, each
endpoint in turn, 100 times (--quick: 20; --samples overrides). latency.csv
holds one row per endpoint for our run (n, failed, mean, min, p50, p99, max in
ms) and one per endpoint for each published series (mean only); samples.csv
one row per request; goals.csv the acceptance goals: GetObject, PutObject,
RemoveObject and ListObjects means <= 110 ms, ListBuckets <= 2 ms. Figures:
latency (bar = mean, error bar = min–max, published means beside) and
latency-cdf. Every request is a signed S3 request (PutObject bodies of 1 KiB:
stored inline) served by the node's S3 handler, in the simulator called from
the client's task, elsewhere over HTTP: see the api column.`}
}

// Rounds is the measurement of the latency experiments for o.
func Rounds(o lab.Options) endpoint.Rounds {
	n := lab.Pick(o, 100, 20)
	if o.Samples > 0 {
		n = o.Samples
	}
	return endpoint.Rounds{N: n, Size: 1024, Objects: 10, Timeout: 30 * time.Second}
}

func (st setup) run(ctx context.Context, s *lab.Session) error {
	r := Rounds(s.Options)
	describe(s, st.topo, r)
	c, err := s.Open(ctx, st.topo)
	if err != nil {
		return err
	}
	defer c.Close()
	p := s.Progress(r.N, "rounds")
	m, err := Measure(c, FirstStorage(c), r, func() { p.Add(1) })
	p.Finish()
	s.AddVirtual(simTime(s, m))
	if err != nil {
		return err
	}
	source := "gogarage (" + string(s.World) + ")"
	if err := write(s, st.title, source, m); err != nil {
		return err
	}
	Goals(s, m, st.topo.RTT)
	return nil
}

// simTime is the virtual time of a simulated measurement.
func simTime(s *lab.Session, m Measurement) time.Duration {
	if s.World == results.Sim {
		return m.Time
	}
	return 0
}

// describe records the parameters of a latency run.
func describe(s *lab.Session, t lab.Topology, r endpoint.Rounds) {
	s.Param("nodes", t.Nodes)
	s.Param("zones", t.Zones)
	s.Param("rf", t.RF)
	s.Param("rtt_ms", lab.Ms(t.RTT))
	s.Param("jitter_ms", lab.Ms(t.Jitter))
	s.Param("intra_zone_rtt_ms", lab.Ms(t.IntraZoneRTT))
	s.Param("samples", r.N)
	s.Param("object_bytes", r.Size)
	s.Param("prefill_objects", r.Objects)
}

// write writes latency.csv, samples.csv and the two figures, and prints
// the table.
func write(s *lab.Session, title, source string, m Measurement) error {
	t := Table(source, m)
	samples := SampleTable("samples", m.Ops)
	for _, err := range []error{s.Table(t), s.Table(samples), s.Figure(BarFigure("latency", t.Name(), title, source)),
		s.Figure(cdfFigure(title))} {
		if err != nil {
			return err
		}
	}
	Print(s.Log, source, m)
	return nil
}

// Table is latency.csv: one row per endpoint of ours, then the published
// means.
func Table(source string, m Measurement) *results.Table {
	t := results.NewTable("latency", lab.Cols([]results.Column{results.Text("endpoint"), results.Text("source"),
		results.Text("api")}, lab.LatencyColumns())...)
	for _, st := range m.Stats {
		must(t.Add(lab.Row([]any{st.Kind, source, m.API[st.Kind]}, lab.LatencyCells(st))...))
	}
	for _, r := range endpoint.Published() {
		must(t.Add(string(r.Endpoint), r.Source, "published mean", nil, nil, r.Mean, nil, nil, nil, nil))
	}
	return t
}

// SampleTable is one row per request: endpoint, sample number, whether it
// succeeded, latency.
func SampleTable(name string, ops []workload.Op) *results.Table {
	t := results.NewTable(name, results.Text("endpoint"), results.Int("sample", ""), results.Text("ok"),
		results.Duration("latency", "ms", 3))
	seen := map[string]int{}
	for _, o := range ops {
		seen[o.Kind]++
		must(t.Add(o.Kind, seen[o.Kind], fmt.Sprint(o.OK), o.Latency()))
	}
	return t
}

// BarFigure is the seed's graph: bars of mean latency per endpoint, error
// bars from min to max, the published series beside ours.
func BarFigure(name, data, title, ours string) spec.Figure {
	return spec.Figure{Name: name, Data: data + ".csv", Bar: &spec.Bar{
		Title:    "Latency per endpoint — " + title + " (bar: mean, error bar: min–max)",
		Category: "endpoint", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "source",
		Categories:  endpoint.Strings(endpoint.All()),
		SeriesOrder: []string{ours, endpoint.Garage050, endpoint.MinIO},
		XAxis:       spec.Axis{Label: "S3 endpoint"},
		YAxis:       spec.Axis{Label: "Latency", Unit: "ms"},
	}}
}

func cdfFigure(title string) spec.Figure {
	return spec.Figure{Name: "latency-cdf", Data: "samples.csv", CDF: &spec.CDF{
		Title: "Latency distribution — " + title, Value: "latency_ms", Series: "endpoint",
		SeriesOrder: endpoint.Strings(endpoint.All()),
		XAxis:       spec.Axis{Label: "Latency", Unit: "ms"},
	}}
}

// Print writes the table of a measurement with the published means.
func Print(w io.Writer, source string, m Measurement) {
	fmt.Fprintf(w, "%-13s %5s %6s %9s %9s %9s %9s %9s %12s %9s\n", "endpoint", "n", "failed",
		"mean_ms", "min_ms", "p50_ms", "p99_ms", "max_ms", "garage0.5_ms", "minio_ms")
	pub := map[string]map[endpoint.Name]time.Duration{}
	for _, r := range endpoint.Published() {
		if pub[r.Source] == nil {
			pub[r.Source] = map[endpoint.Name]time.Duration{}
		}
		pub[r.Source][r.Endpoint] = r.Mean
	}
	for _, st := range m.Stats {
		n := endpoint.Name(st.Kind)
		fmt.Fprintf(w, "%-13s %5d %6d %9.1f %9.1f %9.1f %9.1f %9.1f %12.1f %9.1f\n", st.Kind, st.N, st.Failed,
			lab.Ms(st.Mean), lab.Ms(st.Min), lab.Ms(st.P50), lab.Ms(st.P99), lab.Ms(st.Max),
			lab.Ms(pub[endpoint.Garage050][n]), lab.Ms(pub[endpoint.MinIO][n]))
	}
	fmt.Fprintf(w, "(%s; %s is %q)\n", source, endpoint.PutObject, m.API[string(endpoint.PutObject)])
	if e := m.FirstError(); e != "" {
		fmt.Fprintf(w, "first failed request: %s\n", e)
	}
}

// Goals records the acceptance goals of a measurement at rtt: quorum
// endpoints at most 110 ms, ListBuckets at most 2 ms, each miss explained
// in round trips.
func Goals(s *lab.Session, m Measurement, rtt time.Duration) {
	for _, st := range m.Stats {
		n := endpoint.Name(st.Kind)
		limit := QuorumGoal
		if n == endpoint.ListBuckets {
			limit = LocalGoal
		}
		if st.N == 0 {
			s.Goal(lab.Goal{Name: "mean latency", Subject: st.Kind, Value: 0, Cmp: lab.AtLeast, Limit: 1, Unit: "answered",
				Note: "no request answered"})
			continue
		}
		s.Goal(lab.Goal{Name: "mean latency", Subject: st.Kind, Value: lab.Ms(st.Mean), Cmp: lab.AtMost,
			Limit: lab.Ms(limit), Unit: "ms", Note: why(n, st.Mean, rtt)})
	}
}

// why says which round trips a mean holds and what would remove them.
func why(n endpoint.Name, mean, rtt time.Duration) string {
	trips := ""
	if rtt > 0 {
		trips = fmt.Sprintf("%.2f round trips of %v; ", float64(mean)/float64(rtt), rtt)
	}
	switch n {
	case endpoint.PutObject, endpoint.RemoveObject:
		return trips + "one quorum round trip in the common case (the write at the coordinator's clock, " +
			"redone at newest + 1 only when a replica reports a newer version); a second one means redos " +
			"(clock skew or a concurrent writer)"
	case endpoint.ListBuckets:
		return trips + "a local read asks no other node: anything above is the client's hop and request handling"
	}
	return trips + "one quorum round trip is the floor (the slower of the two replicas asked first, jitter included; " +
		"the third only on a failure or after the hedge)"
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
