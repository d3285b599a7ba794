package scaling

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/latency"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

// RatioGoal is how far a mean may drift from the smallest size's.
const RatioGoal = 1.10

// gossip is the period of pings and status exchanges of every size: a
// full mesh costs O(N²) messages per period, which at 250 nodes is most of
// the simulator's work while no request latency depends on it.
const gossip = 30 * time.Second

// Experiment is "scaling".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "scaling", Worlds: lab.AllWorlds(), Run: run,
		Summary: "latency per endpoint as the cluster grows over 3 zones (6 → 250 nodes), with the simulator's wall time",
		Doc: `Boots clusters of growing size over 3 zones (RF 3, 100 ms RTT ± 20 ms, pings and
status exchanges every 30 s) and runs the latency measurement through the first
node: 6, 12, 25, 50, 100 and 250 nodes in the simulator (--quick: 6 and 9;
--sizes 6,250,1000 chooses), 6 with --real, the target's size with --target.
scaling.csv holds per size and endpoint the latency aggregate and the ratio of
the mean to the smallest size's; wall.csv the wall time of booting and of
measuring each size. Goal: every endpoint's mean within 10 % of the smallest
size's (ListBuckets: at most 2 ms at every size).`}
}

// sizes returns the cluster sizes of the run.
func sizes(s *lab.Session) []int {
	switch {
	case len(s.Sizes) > 0:
		return s.Sizes
	case s.World == results.Real:
		return []int{6}
	}
	return lab.Pick(s.Options, []int{6, 12, 25, 50, 100, 250}, []int{6, 9})
}

// point is one size's measurement.
type point struct {
	nodes         int
	m             latency.Measurement
	boot, measure time.Duration // wall
	steps         uint64
}

func run(ctx context.Context, s *lab.Session) error {
	r := latency.Rounds(s.Options)
	ns := sizes(s)
	if s.World == results.Target {
		ns = []int{len(s.Target.Nodes)}
	}
	s.Param("sizes", ns)
	s.Param("zones", 3)
	s.Param("samples", r.N)
	s.Param("gossip_interval_s", gossip.Seconds())
	p := s.Progress(r.N*len(ns), "rounds")
	defer p.Finish()
	var pts []point
	for _, n := range ns {
		pt, err := measure(ctx, s, n, r, func() { p.Add(1) })
		if err != nil {
			return fmt.Errorf("%d nodes: %w", n, err)
		}
		pts = append(pts, pt)
	}
	return write(s, pts)
}

// topology is a cluster of n nodes over 3 zones.
func topology(n int) lab.Topology {
	t := lab.Garage5()
	t.Nodes, t.Zones = n, 3
	t.Membership.PingInterval, t.Membership.StatusInterval = gossip, gossip
	return t
}

func measure(ctx context.Context, s *lab.Session, n int, r endpoint.Rounds, each func()) (point, error) {
	start := time.Now()
	s.Status("booting %d nodes", n)
	c, err := s.Open(ctx, topology(n))
	if err != nil {
		return point{}, err
	}
	defer c.Close()
	pt := point{nodes: len(c.Nodes()), boot: time.Since(start)}
	s.Status("%d nodes booted in %v; measuring", pt.nodes, pt.boot.Round(time.Millisecond))
	start = time.Now()
	pt.m, err = latency.Measure(c, latency.FirstStorage(c), r, each)
	pt.measure = time.Since(start)
	if sc, ok := c.(*lab.SimCluster); ok {
		pt.steps = sc.W.Steps()
		s.AddVirtual(sc.W.Now())
	}
	return pt, err
}

func write(s *lab.Session, pts []point) error {
	t := table(pts)
	w := wallTable(pts)
	for _, err := range []error{s.Table(t), s.Table(w), s.Figure(figure()), s.Figure(wallFigure())} {
		if err != nil {
			return err
		}
	}
	printTable(s, pts)
	goals(s, pts)
	return nil
}

// ratio is the mean of st over that of base, or false when the base
// (a local read, say) is too small to divide by.
func ratio(st, base float64) (float64, bool) {
	if base < 1 {
		return 0, false
	}
	return float64(int64(st/base*1000+0.5)) / 1000, true
}

func table(pts []point) *results.Table {
	t := results.NewTable("scaling", lab.Cols([]results.Column{results.Int("nodes", ""), results.Text("endpoint"),
		results.Text("api")}, lab.LatencyColumns(), []results.Column{results.Float("ratio", "", 3)})...)
	for _, pt := range pts {
		for _, st := range pt.m.Stats {
			var rc any
			if r, ok := ratio(lab.Ms(st.Mean), lab.Ms(pts[0].m.Stat(endpoint.Name(st.Kind)).Mean)); ok {
				rc = r
			}
			must(t.Add(lab.Row([]any{pt.nodes, st.Kind, pt.m.API[st.Kind]}, lab.LatencyCells(st), []any{rc})...))
		}
	}
	return t
}

func wallTable(pts []point) *results.Table {
	t := results.NewTable("wall", results.Int("nodes", ""), results.Text("phase"), results.Duration("wall", "s", 3),
		results.Duration("virtual", "s", 3), results.Int("sim_steps", ""))
	for _, pt := range pts {
		must(t.Add(pt.nodes, "boot", pt.boot, nil, nil))
		must(t.Add(pt.nodes, "measure", pt.measure, pt.m.Time, pt.steps))
	}
	return t
}

func figure() spec.Figure {
	return spec.Figure{Name: "scaling", Data: "scaling.csv", Line: &spec.Line{
		Title: "Mean latency versus cluster size — 3 zones, RF 3, RTT 100 ± 20 ms",
		X:     "nodes", Y: "mean_ms", Series: "endpoint", SeriesOrder: endpoint.Strings(endpoint.All()),
		XAxis: spec.Axis{Label: "Nodes", Log: true},
		YAxis: spec.Axis{Label: "Mean latency", Unit: "ms", Min: ptr(0)},
	}}
}

func wallFigure() spec.Figure {
	return spec.Figure{Name: "wall-scaling", Data: "wall.csv", Line: &spec.Line{
		Title: "Wall time per cluster size (boot; measure: the latency rounds)",
		X:     "nodes", Y: "wall_s", Series: "phase", SeriesOrder: []string{"boot", "measure"},
		XAxis: spec.Axis{Label: "Nodes", Log: true},
		YAxis: spec.Axis{Label: "Wall time", Unit: "s", Min: ptr(0)},
	}}
}

func ptr(f float64) *float64 { return &f }

func printTable(s *lab.Session, pts []point) {
	s.Printf("%6s %-13s %9s %9s %9s %7s %10s %10s\n", "nodes", "endpoint", "mean_ms", "p50_ms", "p99_ms", "ratio",
		"boot_wall", "meas_wall")
	for _, pt := range pts {
		for _, st := range pt.m.Stats {
			rs := "-"
			if r, ok := ratio(lab.Ms(st.Mean), lab.Ms(pts[0].m.Stat(endpoint.Name(st.Kind)).Mean)); ok {
				rs = fmt.Sprintf("%.3f", r)
			}
			s.Printf("%6d %-13s %9.1f %9.1f %9.1f %7s %10s %10s\n", pt.nodes, st.Kind, lab.Ms(st.Mean),
				lab.Ms(st.P50), lab.Ms(st.P99), rs, pt.boot.Round(time.Millisecond), pt.measure.Round(time.Millisecond))
		}
	}
}

// goals: every endpoint's mean within 10 % of the smallest size's at
// every size; ListBuckets, a local read, at most 2 ms.
func goals(s *lab.Session, pts []point) {
	for _, n := range endpoint.All() {
		worst, worstMean, at := 0.0, 0.0, 0
		for _, pt := range pts {
			mean := lab.Ms(pt.m.Stat(n).Mean)
			if r, ok := ratio(mean, lab.Ms(pts[0].m.Stat(n).Mean)); ok && r >= worst {
				worst, at = r, pt.nodes
			}
			if mean >= worstMean {
				worstMean = mean
			}
		}
		if n == endpoint.ListBuckets {
			s.Goal(lab.Goal{Name: "mean latency at every size", Subject: string(n), Value: worstMean, Cmp: lab.AtMost,
				Limit: lab.Ms(latency.LocalGoal), Unit: "ms"})
			continue
		}
		s.Goal(lab.Goal{Name: "mean latency / smallest size's", Subject: string(n), Value: worst, Cmp: lab.AtMost,
			Limit: RatioGoal, Unit: "ratio", Note: fmt.Sprintf("worst at %d nodes", at)})
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
