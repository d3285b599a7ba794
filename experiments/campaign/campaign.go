package campaign

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/sim"
)

// Campaign is a grid of runs: every seed × workload × nemesis class, each
// a GenScenario with the campaign's options.
type Campaign struct {
	Seeds     []uint64
	Workloads []string // names of Workloads()
	Nemeses   []string // class names (NemesisNames)
	Options   Options
	// Parallel is the number of runs in flight (each in its own world);
	// zero means 1.
	Parallel int
	// HTMLDir, if not empty, receives the history HTML of each failing
	// key of each failing run.
	HTMLDir string
}

// RunOutcome is the summary of one campaign run. The history is kept only
// for failed runs.
type RunOutcome struct {
	Seed     uint64
	Workload string
	Nemesis  string
	Result   Result
	Err      error    // the run could not finish (a task panicked, a deadline passed)
	HTML     []string // files written for it
}

// Failed reports whether the run broke a gate or could not finish.
func (o RunOutcome) Failed() bool { return o.Err != nil || o.Result.Failed() }

// Name names the run in reports: "register/partition seed=17".
func (o RunOutcome) Name() string { return fmt.Sprintf("%s/%s seed=%d", o.Workload, o.Nemesis, o.Seed) }

// Replay is the command that reruns this exact simulation.
func (o RunOutcome) Replay(opts Options) string {
	return fmt.Sprintf("go run ./cmd/garage-sim run --workload %s --seed %d --nemesis %s%s",
		o.Workload, o.Seed, o.Nemesis, opts.Flags())
}

// Flags renders the options as garage-sim flags (those that differ from
// the defaults), each with a leading space.
func (opts Options) Flags() string {
	var f string
	if opts.Mode.String() != "consistent" {
		f += " --mode " + opts.Mode.String()
	}
	if opts.Controls.NaiveTimestamps {
		f += " --naive-ts"
	}
	if opts.Controls.NoTimestampRedo {
		f += " --no-redo"
	}
	if opts.Controls.NoBlockVerify {
		f += " --no-verify"
	}
	if !opts.Fsync {
		f += " --fsync=false"
	}
	if opts.Controls.SingleVersionLayout {
		f += " --single-version"
	}
	return f
}

// Tag names the options in file names: "consistent", "degraded-naive-ts"...
func (opts Options) Tag() string {
	tag := opts.Mode.String()
	if opts.Controls.NaiveTimestamps {
		tag += "-naive-ts"
	}
	if opts.Controls.NoTimestampRedo {
		tag += "-no-redo"
	}
	if opts.Controls.NoBlockVerify {
		tag += "-no-verify"
	}
	if opts.Controls.SingleVersionLayout {
		tag += "-single-version"
	}
	if !opts.Fsync {
		tag += "-nofsync"
	}
	return tag
}

// ParseSeeds parses "1-1000", "7" or "1,5,9-12".
func ParseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, part := range strings.Split(s, ",") {
		var lo, hi uint64
		if n, err := fmt.Sscanf(part, "%d-%d", &lo, &hi); err == nil && n == 2 {
			if hi < lo {
				return nil, fmt.Errorf("seed range %q: end before start", part)
			}
			for x := lo; x <= hi; x++ {
				out = append(out, x)
			}
			continue
		}
		if _, err := fmt.Sscanf(part, "%d", &lo); err != nil || fmt.Sprint(lo) != strings.TrimSpace(part) {
			return nil, fmt.Errorf("bad seed %q: want N or N-M", part)
		}
		out = append(out, lo)
	}
	return out, nil
}

// job is one cell of the grid.
type job struct {
	seed          uint64
	workload, nem string
}

func (c Campaign) jobs() []job {
	var js []job
	for _, wl := range c.Workloads {
		for _, n := range c.Nemeses {
			for _, s := range c.Seeds {
				js = append(js, job{s, wl, n})
			}
		}
	}
	return js
}

// Run runs every cell, Parallel at a time (worlds are independent), and
// calls each (if not nil) with every outcome as it arrives, from one
// goroutine at a time. Outcomes come back in grid order.
func (c Campaign) Run(each func(RunOutcome)) []RunOutcome {
	js := c.jobs()
	out := make([]RunOutcome, len(js))
	next := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range max(c.Parallel, 1) {
		wg.Go(func() {
			for i := range next {
				o := c.runOne(js[i])
				mu.Lock()
				out[i] = o
				if each != nil {
					each(o)
				}
				mu.Unlock()
			}
		})
	}
	for i := range js {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (c Campaign) runOne(j job) RunOutcome {
	res, err := Run(Gen(j.seed, j.workload, j.nem, c.Options))
	o := RunOutcome{Seed: j.seed, Workload: j.workload, Nemesis: j.nem, Result: res, Err: err}
	if o.Failed() && c.HTMLDir != "" {
		o.HTML = writeCampaignHTML(c.HTMLDir, o, c.Options.Tag())
	}
	if !o.Failed() {
		o.Result.History, o.Result.Ops = checker.History{}, nil // keep long campaigns small in memory
	}
	return o
}

// writeCampaignHTML renders each failing key of a failed run.
// Files are named by workload, nemesis, options and seed, so that no run
// overwrites another's.
func writeCampaignHTML(dir string, o RunOutcome, tag string) []string {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	var files []string
	for _, key := range checker.FailingKeys(o.Result.Results) {
		name := fmt.Sprintf("%s-%s-%s-seed%d-%s.html", o.Workload, o.Nemesis, tag, o.Seed, safeName(key))
		path := filepath.Join(dir, name)
		if checker.WriteHTML(path, o.Result.History, key, checker.GateViolations(o.Result.Results, key)...) == nil {
			files = append(files, path)
		}
	}
	return files
}

func safeName(s string) string { return strings.NewReplacer("/", "_", " ", "_").Replace(s) }

// Summary is a campaign's table: one row per workload × nemesis.
type Summary struct {
	Rows   []SummaryRow
	Report checker.Report
	Faults []FaultTally // failpoints armed or hit, by name
}

// FaultTally sums what happened to one failpoint over a campaign.
type FaultTally struct {
	Name          string
	Runs          int // runs in which it was armed or hit
	Armings, Hits int
}

// SummaryRow sums the runs of one workload under one nemesis class.
type SummaryRow struct {
	Workload, Nemesis string
	Runs, Failed      int
	Errors            int            // runs that could not finish
	Violations        map[string]int // per gating check
	Canary            int            // linearizability canary violations
	Ops, Events       int
	Virtual, Wall     time.Duration
}

// SummariseCampaign builds the table of outcomes.
func SummariseCampaign(outs []RunOutcome) Summary {
	var s Summary
	index := map[string]int{}
	for _, o := range outs {
		k := o.Workload + "/" + o.Nemesis
		i, ok := index[k]
		if !ok {
			i = len(s.Rows)
			index[k] = i
			s.Rows = append(s.Rows, SummaryRow{Workload: o.Workload, Nemesis: o.Nemesis, Violations: map[string]int{}})
		}
		s.Rows[i].add(o)
		s.Report.Add(o.Name(), o.Result.Results...)
		s.tallyFaults(o.Result.Faults)
	}
	return s
}

// tallyFaults adds one run's failpoint report, keeping names sorted.
func (s *Summary) tallyFaults(fs []sim.FaultStat) {
	for _, f := range fs {
		i, found := slices.BinarySearchFunc(s.Faults, f.Name, func(t FaultTally, name string) int {
			return strings.Compare(t.Name, name)
		})
		if !found {
			s.Faults = slices.Insert(s.Faults, i, FaultTally{Name: f.Name})
		}
		t := &s.Faults[i]
		t.Runs, t.Armings, t.Hits = t.Runs+1, t.Armings+f.Armings, t.Hits+f.Hits
	}
}
