package campaign

import (
	"flag"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/table"
)

var long = flag.Bool("long", false, "run the 1000-seed campaigns")

// campaignSeeds is 100 seeds, 1000 with -long, 20 with -short.
func campaignSeeds() []uint64 {
	n := uint64(100)
	switch {
	case *long:
		n = 1000
	case testing.Short():
		n = 20
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// mainClasses are the nemesis classes CI runs (the partition shapes are
// all drawn by "partition").
func mainClasses() []string {
	return []string{"none", "partition", "zone", "crash", "pause", "clock", "net", "disk", "layout", "all"}
}

// TestCampaignGatesHold runs the real code under every nemesis class: no
// gating check may fail. Each class gets 100 seeds, the odd ones with the
// register workload and the even ones with the set workload (with -long,
// 1000 seeds with both workloads each).
func TestCampaignGatesHold(t *testing.T) {
	var outs []RunOutcome
	for _, c := range gateCampaigns() {
		outs = append(outs, c.Run(func(o RunOutcome) {
			if o.Failed() {
				t.Errorf("%s: %s\n  replay: %s", o.Name(), o.Summary(), o.Replay(c.Options))
			}
		})...)
	}
	var b strings.Builder
	s := SummariseCampaign(outs)
	if err := s.Print(&b); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", b.String())
	runs := map[string]int{}
	for _, o := range outs {
		runs[o.Nemesis]++
	}
	for _, n := range mainClasses() {
		if runs[n] < len(campaignSeeds()) {
			t.Errorf("class %s ran %d seeds, want %d", n, runs[n], len(campaignSeeds()))
		}
	}
	if s.Total().Events == 0 || s.Total().Ops == 0 {
		t.Errorf("no nemesis events or no operations: %+v", s.Total())
	}
}

// gateCampaigns splits the seeds between the workloads (both get every
// seed with -long).
func gateCampaigns() []Campaign {
	seeds := campaignSeeds()
	var odd, even []uint64
	for _, s := range seeds {
		if s%2 == 1 {
			odd = append(odd, s)
		} else {
			even = append(even, s)
		}
	}
	if *long {
		odd, even = seeds, seeds
	}
	base := Campaign{Nemeses: mainClasses(), Options: Options{Fsync: true}, Parallel: runtime.NumCPU()}
	reg, set := base, base
	reg.Seeds, reg.Workloads = odd, []string{WorkloadRegister}
	set.Seeds, set.Workloads = even, []string{WorkloadSet}
	return []Campaign{reg, set}
}

// TestNegativeControls runs each broken configuration over 100 seeds: the
// checker must catch a clear majority of them, with the check named.
func TestNegativeControls(t *testing.T) {
	for _, tc := range []struct {
		name, workload, nemesis string
		opts                    Options
		check                   string // a gate expected among the failures
	}{
		{"naive timestamps under clock skew", WorkloadRegister, "clock", Options{Fsync: true, Controls: garage.Controls{NaiveTimestamps: true}}, checker.CheckTSKey},
		{"degraded reads under partition", WorkloadRegister, "partition", Options{Fsync: true, Mode: table.Degraded}, checker.CheckRAW},
		{"degraded listings under partition", WorkloadSet, "partition", Options{Fsync: true, Mode: table.Degraded}, checker.CheckList},
		{"one-replica acks under partition", WorkloadRegister, "partition", Options{Fsync: true, Mode: table.Dangerous}, checker.CheckRAW},
		{"one-replica acks under crash", WorkloadRegister, "crash", Options{Fsync: true, Mode: table.Dangerous}, checker.CheckRAW},
		{"one-replica acks under partition, set", WorkloadSet, "partition", Options{Fsync: true, Mode: table.Dangerous}, checker.CheckList},
		{"single-version layout switch during traffic", WorkloadSet, "layout", Options{Fsync: true, Controls: garage.Controls{SingleVersionLayout: true}}, checker.CheckList},
		{"consistency-mode flips under partition", WorkloadRegister, "mode-flip", Options{Fsync: true}, checker.CheckRAW},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Campaign{Seeds: campaignSeeds(), Workloads: []string{tc.workload}, Nemeses: []string{tc.nemesis},
				Options: tc.opts, Parallel: runtime.NumCPU()}
			outs := c.Run(nil)
			row := SummariseCampaign(outs).Rows[0]
			t.Logf("caught %d of %d runs; violations %v", row.Failed, row.Runs, row.Violations)
			if row.FailRate() <= 0.5 {
				t.Errorf("caught %d of %d runs, want a clear majority", row.Failed, row.Runs)
			}
			if row.Violations[tc.check] == 0 {
				t.Errorf("no %s violation; got %v", tc.check, row.Violations)
			}
			if row.Errors > 0 {
				t.Errorf("%d runs could not finish", row.Errors)
			}
		})
	}
}

// TestLayoutChangesHoldGates runs the set workload under layout changes
// (the Jepsen "r" nemesis) with the real multi-version code: 50 seeds
// (1000 with -long, 20 with -short), plus seeds that found bugs on an
// earlier layout harness (a rejoining node's stale sync tracker sent reads
// to a version nobody had synced).
func TestLayoutChangesHoldGates(t *testing.T) {
	seeds := campaignSeeds()
	if !*long && !testing.Short() {
		seeds = seeds[:50] // CI budget: about 15 s on 2 cores
	}
	for _, s := range []uint64{36, 258, 515, 801} {
		if !slices.Contains(seeds, s) {
			seeds = append(seeds, s)
		}
	}
	c := Campaign{Seeds: seeds, Workloads: []string{WorkloadSet}, Nemeses: []string{"layout"},
		Options: Options{Fsync: true}, Parallel: runtime.NumCPU()}
	outs := c.Run(func(o RunOutcome) {
		if o.Failed() {
			t.Errorf("%s: %s\n  replay: %s", o.Name(), o.Summary(), o.Replay(c.Options))
		}
	})
	row := SummariseCampaign(outs).Rows[0]
	if row.Events < 3*row.Runs {
		t.Errorf("%d layout events over %d runs: the nemesis barely acted", row.Events, row.Runs)
	}
}
