package fidelity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/latency"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/plots/spec"
)

// Goals: quorum endpoints' means within 10 %; a local read within 2 ms.
const (
	RatioGoal = 0.10
	LocalGoal = 2 * time.Millisecond
)

// Experiment is "fidelity".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "fidelity", Worlds: []results.World{results.Real, results.Target}, Run: run,
		Summary: "the latency measurement in the simulator and on real processes (or a target): mean, p50, p99, ratio",
		Doc: `Runs the latency measurement (5 nodes, 100 ms RTT ± 20 ms, one request at a
time, 100 rounds; --quick 10) in the simulator and on garage server processes on
loopback shaped by netem (--real, the default), or on a target whose file gives
rtt and jitter (the simulated twin has its node count and zones). latency.csv:
per endpoint and world the latency aggregate; fidelity.csv: per endpoint and
statistic (mean, p50, p99) the simulated and measured values and their ratio.
Goals: every quorum endpoint's mean within 10 % of the simulator's; ListBuckets
within 2 ms.`}
}

func run(ctx context.Context, s *lab.Session) error {
	r := latency.Rounds(s.Options)
	r.N = lab.Pick(s.Options, r.N, 10)
	if s.Samples > 0 {
		r.N = s.Samples
	}
	s.Param("samples", r.N)
	c, topo, err := open(ctx, s)
	if err != nil {
		return err
	}
	defer c.Close()
	s.Param("nodes", topo.Nodes)
	s.Param("zones", topo.Zones)
	s.Param("rtt_ms", lab.Ms(topo.RTT))
	s.Param("jitter_ms", lab.Ms(topo.Jitter))
	p := s.Progress(2*r.N, "rounds")
	defer p.Finish()
	sim, err := measureSim(s, topo, r, func() { p.Add(1) })
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	other, err := latency.Measure(c, latency.FirstStorage(c), r, func() { p.Add(1) })
	if err != nil {
		return fmt.Errorf("%s: %w", s.World, err)
	}
	return write(s, sim, other)
}

// open opens the measured world and returns the topology of its simulated
// twin.
func open(ctx context.Context, s *lab.Session) (lab.Cluster, lab.Topology, error) {
	topo := lab.Garage5()
	if s.World != results.Target {
		c, err := s.Open(ctx, topo)
		return c, topo, err
	}
	if s.Target.RTT <= 0 {
		return nil, topo, errors.New("the target file gives no rtt (and jitter) for the simulated twin")
	}
	c, err := s.Open(ctx, topo)
	if err != nil {
		return nil, topo, err
	}
	var zones []string
	topo.Nodes, topo.Spares = len(c.Nodes()), 0
	for _, n := range c.Nodes() {
		switch {
		case n.Spare:
			topo.Spares++
		case !slices.Contains(zones, n.Zone):
			zones = append(zones, n.Zone)
		}
	}
	topo.Zones, topo.RTT, topo.Jitter = len(zones), s.Target.RTT, s.Target.Jitter
	return c, topo, nil
}

func measureSim(s *lab.Session, topo lab.Topology, r endpoint.Rounds, each func()) (latency.Measurement, error) {
	c, err := lab.OpenSim(s.Seed, topo)
	if err != nil {
		return latency.Measurement{}, err
	}
	defer c.Close()
	m, err := latency.Measure(c, latency.FirstStorage(c), r, each)
	s.AddVirtual(m.Time)
	return m, err
}

// stat is one statistic of an aggregate.
type stat struct {
	name string
	of   func(workload.Stats) time.Duration
}

func stats() []stat {
	return []stat{{"mean", func(s workload.Stats) time.Duration { return s.Mean }},
		{"p50", func(s workload.Stats) time.Duration { return s.P50 }},
		{"p99", func(s workload.Stats) time.Duration { return s.P99 }}}
}

// ratio is measured over simulated, rounded to 3 decimals, or false when
// the simulated value is too small to divide by.
func ratio(measured, simulated time.Duration) (float64, bool) {
	if simulated < time.Millisecond {
		return 0, false
	}
	return math.Round(float64(measured)/float64(simulated)*1000) / 1000, true
}

func write(s *lab.Session, sim, other latency.Measurement) error {
	world := string(s.World)
	lt, ft := latencyTable(world, sim, other), fidelityTable(world, sim, other)
	for _, err := range []error{s.Table(lt), s.Table(ft), s.Figure(figure(world))} {
		if err != nil {
			return err
		}
	}
	printTable(s, world, sim, other)
	goals(s, world, sim, other)
	return nil
}

func latencyTable(world string, sim, other latency.Measurement) *results.Table {
	t := results.NewTable("latency", lab.Cols([]results.Column{results.Text("endpoint"), results.Text("world"),
		results.Text("api")}, lab.LatencyColumns())...)
	for _, w := range []struct {
		name string
		m    latency.Measurement
	}{{"sim", sim}, {world, other}} {
		for _, st := range w.m.Stats {
			must(t.Add(lab.Row([]any{st.Kind, w.name, w.m.API[st.Kind]}, lab.LatencyCells(st))...))
		}
	}
	return t
}

func fidelityTable(world string, sim, other latency.Measurement) *results.Table {
	t := results.NewTable("fidelity", results.Text("endpoint"), results.Text("stat"), results.Text("world"),
		results.Duration("sim", "ms", 3), results.Duration("measured", "ms", 3), results.Float("ratio", "", 3))
	for _, n := range endpoint.All() {
		for _, st := range stats() {
			a, b := st.of(sim.Stat(n)), st.of(other.Stat(n))
			var rc any
			if r, ok := ratio(b, a); ok {
				rc = r
			}
			must(t.Add(string(n), st.name, world, a, b, rc))
		}
	}
	return t
}

func figure(world string) spec.Figure {
	return spec.Figure{Name: "fidelity", Data: "latency.csv", Bar: &spec.Bar{
		Title:    "Simulator versus " + world + " — 5 nodes, RTT 100 ± 20 ms (bar: mean, error bar: min–max)",
		Category: "endpoint", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "world",
		Categories: endpoint.Strings(endpoint.All()), SeriesOrder: []string{"sim", world},
		XAxis: spec.Axis{Label: "Endpoint"}, YAxis: spec.Axis{Label: "Latency", Unit: "ms"},
	}}
}

func printTable(s *lab.Session, world string, sim, other latency.Measurement) {
	s.Printf("%-13s %-5s %10s %12s %7s\n", "endpoint", "stat", "sim_ms", world+"_ms", "ratio")
	for _, n := range endpoint.All() {
		for _, st := range stats() {
			a, b := st.of(sim.Stat(n)), st.of(other.Stat(n))
			rs := "-"
			if r, ok := ratio(b, a); ok {
				rs = fmt.Sprintf("%.3f", r)
			}
			s.Printf("%-13s %-5s %10.1f %12.1f %7s\n", n, st.name, lab.Ms(a), lab.Ms(b), rs)
		}
	}
}

func goals(s *lab.Session, world string, sim, other latency.Measurement) {
	for _, n := range endpoint.All() {
		a, b := sim.Stat(n).Mean, other.Stat(n).Mean
		if r, ok := ratio(b, a); ok {
			s.Goal(lab.Goal{Name: "|mean " + world + " / sim − 1|", Subject: string(n), Value: math.Abs(math.Round((r-1)*1000) / 1000),
				Cmp: lab.AtMost, Limit: RatioGoal, Unit: "", Note: fmt.Sprintf("sim %.1f ms, %s %.1f ms", lab.Ms(a), world, lab.Ms(b))})
			continue
		}
		s.Goal(lab.Goal{Name: "|mean " + world + " − sim|", Subject: string(n), Value: math.Abs(lab.Ms(b) - lab.Ms(a)),
			Cmp: lab.AtMost, Limit: lab.Ms(LocalGoal), Unit: "ms"})
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
