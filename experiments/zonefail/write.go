package zonefail

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
)

// phase is a span of the load.
type phase struct {
	name       string
	start, end time.Duration // since the load started
}

func phases(tl timeline) []phase {
	return []phase{{"before", 0, tl.warm}, {"during", tl.warm, tl.warm + tl.down},
		{"after", tl.warm + tl.down, tl.end() + time.Hour}}
}

// inPhase returns the load's requests (final reads excluded) started in
// p, with kinds named by endpoint.
func inPhase(ops []workload.Op, t0 time.Duration, p phase) []workload.Op {
	var out []workload.Op
	for _, o := range ops {
		if t := o.Start - t0; !o.Final && t >= p.start && t < p.end {
			o.Kind = string(endpoint.OfKind(o.Kind))
			out = append(out, o)
		}
	}
	return out
}

func loadEndpoints() []string {
	return endpoint.Strings([]endpoint.Name{endpoint.GetObject, endpoint.PutObject, endpoint.RemoveObject})
}

func write(s *lab.Session, l *lab.Load, rs []checker.Result, ev events, t0 time.Duration, tl timeline, zone string) error {
	ops := l.H.Ops()
	series := lab.SeriesTable("zone_failure", lab.Buckets(ops, t0, tl.bucket))
	for _, err := range []error{s.Table(series), s.Table(phaseTable(ops, t0, tl)), s.Table(eventTable(ev)),
		s.Table(faultTable(ev, tl, zone)), s.Table(lab.ChecksTable(rs)), s.Figure(figure(zone))} {
		if err != nil {
			return err
		}
	}
	printRun(s, ops, t0, tl, ev, rs)
	goals(s, ops, t0, tl, ev, rs)
	return nil
}

func phaseTable(ops []workload.Op, t0 time.Duration, tl timeline) *results.Table {
	t := results.NewTable("phases", lab.Cols([]results.Column{results.Text("phase"), results.Text("endpoint"),
		results.Float("success", "pct", 2)}, lab.LatencyColumns())...)
	for _, p := range phases(tl) {
		for _, st := range workload.Summarise(inPhase(ops, t0, p), loadEndpoints()...) {
			must(t.Add(lab.Row([]any{p.name, st.Kind, lab.Pct(st.N, st.N+st.Failed)}, lab.LatencyCells(st))...))
		}
	}
	return t
}

func eventTable(ev events) *results.Table {
	t := results.NewTable("events", results.Text("event"), results.Duration("t", "s", 3))
	for _, e := range []struct {
		name string
		at   time.Duration
	}{{"zone_down", ev.down}, {"zone_up", ev.up}, {"mesh_healed", ev.mesh}, {"replicas_converged", ev.replicas}} {
		var at any
		if e.at >= 0 {
			at = e.at
		}
		must(t.Add(e.name, at))
	}
	return t
}

func faultTable(ev events, tl timeline, zone string) *results.Table {
	t := results.NewTable("faults", results.Duration("start", "s", 3), results.Duration("end", "s", 3), results.Text("label"))
	down, up := ev.down, ev.up
	if down < 0 {
		down = tl.warm
	}
	if up < 0 {
		up = tl.warm + tl.down
	}
	must(t.Add(down, up, "zone "+zone+" down"))
	return t
}

func printRun(s *lab.Session, ops []workload.Op, t0 time.Duration, tl timeline, ev events, rs []checker.Result) {
	s.Printf("%-7s %-13s %6s %6s %9s %9s %9s %9s\n", "phase", "endpoint", "n", "failed", "success%", "mean_ms", "p99_ms", "max_ms")
	for _, p := range phases(tl) {
		for _, st := range workload.Summarise(inPhase(ops, t0, p), loadEndpoints()...) {
			s.Printf("%-7s %-13s %6d %6d %9.2f %9.1f %9.1f %9.1f\n", p.name, st.Kind, st.N, st.Failed,
				lab.Pct(st.N, st.N+st.Failed), lab.Ms(st.Mean), lab.Ms(st.P99), lab.Ms(st.Max))
		}
	}
	replicas := secs(ev.replicas)
	if s.World != results.Sim {
		replicas = "(observable in the simulator only)"
	}
	s.Printf("zone down at %s, up at %s; mesh healed at %s, replicas converged at %s (s since the load started)\n",
		secs(ev.down), secs(ev.up), secs(ev.mesh), replicas)
	if ev.up >= 0 && ev.replicas >= 0 {
		s.Printf("time to full convergence after the zone returned: %.1f s\n", (ev.replicas - ev.up).Seconds())
	}
	for _, r := range rs {
		s.Printf("check %s\n", r)
	}
}

func secs(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return fmt.Sprintf("%.1f", d.Seconds())
}

func goals(s *lab.Session, ops []workload.Op, t0 time.Duration, tl timeline, ev events, rs []checker.Result) {
	during := phases(tl)[1]
	for _, st := range workload.Summarise(inPhase(ops, t0, during), loadEndpoints()...) {
		s.Goal(lab.Goal{Name: "success while the zone is down", Subject: st.Kind, Value: lab.Pct(st.N, st.N+st.Failed),
			Cmp: lab.AtLeast, Limit: SuccessGoal, Unit: "%",
			Note: fmt.Sprintf("worst latency %.1f ms", lab.Ms(st.Max))})
	}
	s.Goal(lab.Goal{Name: "violations", Subject: checker.CheckRAW, Value: float64(lab.Violations(rs, checker.CheckRAW)),
		Cmp: lab.Equal, Limit: 0, Unit: "violations"})
	if s.World != results.Sim {
		return
	}
	converged, note := 0.0, "replicas still differ "+healLimit.String()+" after the zone returned"
	if ev.replicas >= 0 {
		converged, note = 1, ""
	}
	s.Goal(lab.Goal{Name: "replicas converged after the zone returned", Subject: "cluster", Value: converged,
		Cmp: lab.Equal, Limit: 1, Unit: "bool", Note: note})
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
