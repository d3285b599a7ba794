package consistency

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"sync"

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
	// Catch is where a control is known to be caught: the cell the CI
	// size runs it in.
	Catch Cell
}

// Cell is a workload under a nemesis, over seeds.
type Cell struct {
	Workload, Nemesis string
	Seeds             []uint64
}

// Name is "workload/nemesis", the scenario's name in the tables.
func (c Cell) Name() string { return c.Workload + "/" + c.Nemesis }

// Configs returns the configurations: every protection, then each one off.
func Configs() []Config {
	all := campaign.Options{Mode: table.Consistent, Fsync: true}
	noRedo, noVerify, single, degraded, dangerous := all, all, all, all, all
	noRedo.Controls.NoTimestampRedo = true
	noVerify.Controls.NoBlockVerify = true
	single.Controls.SingleVersionLayout = true
	degraded.Mode, dangerous.Mode = table.Degraded, table.Dangerous
	s3, list := campaign.WorkloadS3, campaign.WorkloadS3List
	return []Config{
		{Name: "all protections", Options: all},
		{"no timestamp redo", noRedo, true, Cell{s3, "clock", []uint64{1}}},
		{"no block verify", noVerify, true, Cell{s3, "corrupt", []uint64{4}}},
		{"single-version layout", single, true, Cell{list, "layout", []uint64{5}}},
		{"no read quorum", degraded, true, Cell{list, "partition", []uint64{1}}},
		{"no quorums", dangerous, true, Cell{list, "partition", []uint64{1}}},
	}
}

// Experiment is "consistency".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "consistency", Worlds: []results.World{results.Sim}, Run: run,
		Summary: "Jepsen-style table: S3 workload × nemesis × seeds, with and without each protection; heat map",
		Doc: `Runs campaigns in the simulator (5 nodes over 3 zones, RF 3, 100 ms RTT ± 20 ms,
workloads and fault timing drawn from each seed) of the S3 workloads — s3: puts
of 16 B to 5 MiB bodies (some multipart), GETs that check the body, HEADs,
deletes; s3-list: puts, deletes and ListObjectsV2 pages of a prefix — under
every nemesis (none, partition, zone, crash, pause, clock, net, disk, layout,
corrupt: bit rot in block files, all) × seeds 1–5, under six configurations:
all protections; no timestamp redo (an object write keeps the coordinator's
clock even when a replica holds a newer version); no block verify (blocks
served without checking their hash); single-version layout; degraded mode
(read quorum 1); dangerous mode (quorums 1). --quick runs each negative
control in one cell where it is known to be caught, and every protection on in
all of those cells. violations.csv: per configuration, workload, nemesis and
gating check, runs, failed runs and violations; cells.csv: the same summed over
checks. Goals: no run fails with every protection on; each negative control
fails at least one run (a checker that cannot fail is no checker).`}
}

// grid returns the cells of cfg in a run: every workload under every
// nemesis over the seeds, or at the CI size the cells where the controls
// are caught (all of them for the configuration with every protection).
func grid(o lab.Options, cfg Config, cfgs []Config) []Cell {
	if !o.Quick {
		var out []Cell
		for _, wl := range []string{campaign.WorkloadS3, campaign.WorkloadS3List} {
			for _, nem := range []string{"none", "partition", "zone", "crash", "pause", "clock", "net", "disk", "layout",
				"corrupt", "all"} {
				out = append(out, Cell{wl, nem, seq(5)})
			}
		}
		return out
	}
	if cfg.Control {
		return []Cell{cfg.Catch}
	}
	var out []Cell
	for _, c := range cfgs {
		if c.Control && !slices.ContainsFunc(out, func(d Cell) bool { return d.Name() == c.Catch.Name() }) {
			out = append(out, c.Catch)
		}
	}
	return out
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

// unit is one cell of one configuration: a campaign run on one core.
type unit struct {
	cfg  int
	c    campaign.Campaign
	outs []campaign.RunOutcome
}

func run(ctx context.Context, s *lab.Session) error {
	cfgs := Configs()
	var units []*unit
	runs := 0
	for i, cfg := range cfgs {
		for _, c := range grid(s.Options, cfg, cfgs) {
			units = append(units, &unit{cfg: i, c: campaign.Campaign{Seeds: c.Seeds, Workloads: []string{c.Workload},
				Nemeses: []string{c.Nemesis}, Options: cfg.Options}})
			runs += len(c.Seeds)
		}
	}
	s.Param("cells", cellNames(units))
	s.Param("runs", runs)
	p := s.Progress(runs, "runs")
	runUnits(ctx, units, func() { p.Add(1) })
	p.Finish()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	cells := make([]cell, len(cfgs))
	for i, cfg := range cfgs {
		var outs []campaign.RunOutcome
		for _, u := range units {
			if u.cfg == i {
				outs = append(outs, u.outs...)
			}
		}
		for _, o := range outs {
			s.AddVirtual(o.Result.Virtual)
		}
		cells[i] = cell{cfg, campaign.SummariseCampaign(outs)}
	}
	return write(s, cells)
}

// cellNames lists the configurations' cells, for meta.json.
func cellNames(units []*unit) map[string][]string {
	out := map[string][]string{}
	cfgs := Configs()
	for _, u := range units {
		name := cfgs[u.cfg].Name
		out[name] = append(out[name], u.c.Workloads[0]+"/"+u.c.Nemeses[0])
	}
	return out
}

// runUnits runs the units on every core, each campaign on one, calling
// step after each run.
func runUnits(ctx context.Context, units []*unit, step func()) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan *unit)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for u := range next {
				u.outs = u.c.Run(func(campaign.RunOutcome) {
					mu.Lock()
					defer mu.Unlock()
					step()
				})
			}
		})
	}
	for _, u := range units {
		if ctx.Err() != nil {
			break
		}
		next <- u
	}
	close(next)
	wg.Wait()
}

// gates are the gating checks, in table order.
func gates() []string {
	return []string{checker.CheckRAW, checker.CheckList, checker.CheckDurability, checker.CheckTSKey, checker.CheckConvergence}
}

func write(s *lab.Session, cells []cell) error {
	v, c, k := violationTable(cells), cellTable(cells), checkTable(cells)
	for _, err := range []error{s.Table(v), s.Table(c), s.Table(k), s.Figure(heatFigure(cells)),
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

// scenarios lists the scenarios of every configuration, in order of
// first appearance.
func scenarios(cells []cell) []string {
	var out []string
	for _, c := range cells {
		for _, r := range c.sum.Rows {
			if s := r.Workload + "/" + r.Nemesis; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// maxRuns is the most runs of one cell.
func maxRuns(cells []cell) int {
	n := 0
	for _, c := range cells {
		for _, r := range c.sum.Rows {
			n = max(n, r.Runs)
		}
	}
	return n
}

func heatFigure(cells []cell) spec.Figure {
	seeds := maxRuns(cells)
	return spec.Figure{Name: "consistency", Data: "cells.csv", Output: spec.Output{WidthCM: 20, HeightCM: 18},
		HeatMap: &spec.HeatMap{
			Title: "Runs with a violation, of " + itoa(seeds) + " seeds per cell (blank: not run)",
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
		note := ""
		if t.Failed == 0 {
			note = "the checker found nothing with this protection off"
		}
		s.Goal(lab.Goal{Name: "failed runs (negative control: must fail)", Subject: c.cfg.Name, Value: float64(t.Failed),
			Cmp: lab.AtLeast, Limit: 1, Unit: "runs", Note: note})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}
