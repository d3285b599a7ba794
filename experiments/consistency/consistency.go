package consistency

import (
	"context"
	"runtime"
	"slices"
	"strconv"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/plots/spec"
)

// Config is one configuration of protections.
type Config struct {
	Name    string
	Options campaign.Options
	// Control marks a negative control: a protection is off, and the
	// checker must find violations.
	Control bool
}

// Configs returns the configurations: every protection, then each one off.
func Configs() []Config {
	all := campaign.Options{Mode: table.Consistent, Fsync: true}
	naive, single, degraded, dangerous := all, all, all, all
	naive.Controls.NaiveTimestamps = true
	single.Controls.SingleVersionLayout = true
	degraded.Mode, dangerous.Mode = table.Degraded, table.Dangerous
	return []Config{{"all protections", all, false}, {"no monotonic ts", naive, true},
		{"single-version layout", single, true}, {"no read quorum", degraded, true}, {"no quorums", dangerous, true}}
}

// Experiment is "consistency".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "consistency", Worlds: []results.World{results.Sim}, Run: run,
		Summary: "Jepsen-style table: workload × nemesis × seeds, with and without each protection; heat map",
		Doc: `Runs campaigns in the simulator (5 nodes over 3 zones, RF 3, 100 ms RTT ± 20 ms,
workloads and fault timing drawn from each seed) for every workload (register,
set) × nemesis (none, partition, zone, crash, pause, clock, net, disk, layout,
all) × seeds 1–20 (--quick: register under partition, clock and layout, seeds 1–2), under five configurations: all protections; naive timestamps (no
max(now, newest + 1)); single-version layout; degraded mode (read quorum 1);
dangerous mode (quorums 1). violations.csv: per configuration, workload, nemesis
and gating check, runs, failed runs and violations; cells.csv: the same summed
over checks. Goals: no run fails with every protection on; each negative
control fails at least one run (a checker that cannot fail is no checker).`}
}

// grid is the campaign grid of a run.
type grid struct {
	seeds     []uint64
	workloads []string
	nemeses   []string
}

func gridOf(o lab.Options) grid {
	full := grid{seeds: seq(20), workloads: campaign.Workloads(),
		nemeses: []string{"none", "partition", "zone", "crash", "pause", "clock", "net", "disk", "layout", "all"}}
	quick := grid{seeds: seq(2), workloads: campaign.Workloads(), nemeses: []string{"partition", "clock", "layout"}}
	return lab.Pick(o, full, quick)
}

func seq(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

// cell is the summary of one configuration's campaign.
type cell struct {
	cfg Config
	sum campaign.Summary
}

func run(ctx context.Context, s *lab.Session) error {
	g := gridOf(s.Options)
	s.Param("seeds", len(g.seeds))
	s.Param("workloads", g.workloads)
	s.Param("nemeses", g.nemeses)
	cfgs := Configs()
	p := s.Progress(len(cfgs)*len(g.seeds)*len(g.workloads)*len(g.nemeses), "runs")
	var cells []cell
	for _, cfg := range cfgs {
		c := campaign.Campaign{Seeds: g.seeds, Workloads: g.workloads, Nemeses: g.nemeses, Options: cfg.Options,
			Parallel: runtime.NumCPU()}
		outs := c.Run(func(campaign.RunOutcome) { p.Add(1) })
		for _, o := range outs {
			s.AddVirtual(o.Result.Virtual)
		}
		cells = append(cells, cell{cfg, campaign.SummariseCampaign(outs)})
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	p.Finish()
	return write(s, cells, len(g.seeds))
}

// gates are the gating checks, in table order.
func gates() []string {
	return []string{checker.CheckRAW, checker.CheckList, checker.CheckDurability, checker.CheckTSKey, checker.CheckConvergence}
}

func write(s *lab.Session, cells []cell, seeds int) error {
	v, c, k := violationTable(cells), cellTable(cells), checkTable(cells)
	for _, err := range []error{s.Table(v), s.Table(c), s.Table(k), s.Figure(heatFigure(cells, seeds)),
		s.Figure(checkFigure(cells))} {
		if err != nil {
			return err
		}
	}
	printTable(s, cells)
	goals(s, cells)
	return nil
}

func violationTable(cells []cell) *results.Table {
	t := results.NewTable("violations", results.Text("config"), results.Text("workload"), results.Text("nemesis"),
		results.Text("check"), results.Int("runs", ""), results.Int("failed_runs", ""), results.Int("violations", ""))
	for _, c := range cells {
		for _, r := range c.sum.Rows {
			for _, g := range gates() {
				must(t.Add(c.cfg.Name, r.Workload, r.Nemesis, g, r.Runs, r.Failed, r.Violations[g]))
			}
		}
	}
	return t
}

func cellTable(cells []cell) *results.Table {
	t := results.NewTable("cells", results.Text("config"), results.Text("scenario"), results.Int("runs", ""),
		results.Int("failed_runs", ""), results.Int("violations", ""), results.Int("errors", ""))
	for _, c := range cells {
		for _, r := range c.sum.Rows {
			must(t.Add(c.cfg.Name, r.Workload+"/"+r.Nemesis, r.Runs, r.Failed, total(r.Violations), r.Errors))
		}
	}
	return t
}

// checkTable is per_check.csv: violations per configuration and gating
// check, every workload and nemesis summed.
func checkTable(cells []cell) *results.Table {
	t := results.NewTable("per_check", results.Text("config"), results.Text("check"), results.Int("violations", ""))
	for _, c := range cells {
		tot := c.sum.Total()
		for _, g := range gates() {
			must(t.Add(c.cfg.Name, g, tot.Violations[g]))
		}
	}
	return t
}

func total(vs map[string]int) int {
	n := 0
	for _, g := range gates() {
		n += vs[g]
	}
	return n
}

func names(cells []cell) []string {
	var out []string
	for _, c := range cells {
		out = append(out, c.cfg.Name)
	}
	return out
}

func scenarios(cells []cell) []string {
	var out []string
	for _, r := range cells[0].sum.Rows {
		if s := r.Workload + "/" + r.Nemesis; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func heatFigure(cells []cell, seeds int) spec.Figure {
	return spec.Figure{Name: "consistency", Data: "cells.csv", Output: spec.Output{WidthCM: 18, HeightCM: 16},
		HeatMap: &spec.HeatMap{
			Title: "Runs with a violation, of " + itoa(seeds) + " seeds per cell",
			X:     "config", Y: "scenario", Value: "failed_runs", XOrder: names(cells), YOrder: scenarios(cells),
			XAxis: spec.Axis{Label: "Protections"}, YAxis: spec.Axis{Label: "Workload / nemesis"},
			ColorAxis: spec.Axis{Label: "Failed runs", Min: ptr(0), Max: ptr(float64(seeds))}, Format: "%.0f",
		}}
}

func checkFigure(cells []cell) spec.Figure {
	return spec.Figure{Name: "consistency-checks", Data: "per_check.csv", Output: spec.Output{WidthCM: 18, HeightCM: 9},
		HeatMap: &spec.HeatMap{
			Title: "Violations found per check, every workload and nemesis summed",
			X:     "config", Y: "check", Value: "violations", XOrder: names(cells), YOrder: gates(),
			XAxis: spec.Axis{Label: "Protections"}, YAxis: spec.Axis{Label: "Check"},
			ColorAxis: spec.Axis{Label: "Violations", Min: ptr(0)}, Format: "%.0f",
		}}
}

func ptr(f float64) *float64 { return &f }

func printTable(s *lab.Session, cells []cell) {
	for _, c := range cells {
		s.Printf("== %s\n", c.cfg.Name)
		c.sum.Print(s.Log)
	}
}

// goals: no failed run with every protection on; each negative control
// fails at least once.
func goals(s *lab.Session, cells []cell) {
	for _, c := range cells {
		t := c.sum.Total()
		if !c.cfg.Control {
			s.Goal(lab.Goal{Name: "failed runs", Subject: c.cfg.Name, Value: float64(t.Failed), Cmp: lab.Equal, Limit: 0,
				Unit: "runs"})
			continue
		}
		s.Goal(lab.Goal{Name: "failed runs (negative control: must fail)", Subject: c.cfg.Name, Value: float64(t.Failed),
			Cmp: lab.AtLeast, Limit: 1, Unit: "runs", Note: "the checker found nothing with this protection off"})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}
