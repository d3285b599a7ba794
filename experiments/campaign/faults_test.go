package campaign

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gogarage/garage/sim"
)

func TestSummaryTalliesFailpoints(t *testing.T) {
	outs := []RunOutcome{
		{Seed: 1, Workload: "register", Nemesis: "disk", Result: Result{Faults: []sim.FaultStat{
			{Name: "meta-commit-before", Armings: 2, Hits: 5}, {Name: "table-sync", Armings: 1}}}},
		{Seed: 2, Workload: "register", Nemesis: "disk", Result: Result{Faults: []sim.FaultStat{
			{Name: "meta-commit-after", Armings: 1, Hits: 1}, {Name: "meta-commit-before", Armings: 1, Hits: 3}}}},
	}
	s := SummariseCampaign(outs)
	want := []FaultTally{{"meta-commit-after", 1, 1, 1}, {"meta-commit-before", 2, 3, 8}, {"table-sync", 1, 1, 0}}
	if len(s.Faults) != len(want) {
		t.Fatalf("tallies %+v, want %+v", s.Faults, want)
	}
	for i := range want {
		if s.Faults[i] != want[i] {
			t.Errorf("tally %d: got %+v, want %+v", i, s.Faults[i], want[i])
		}
	}
	var b bytes.Buffer
	if err := s.Print(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "table-sync                  1        1        0") {
		t.Errorf("a point armed but never hit is not listed:\n%s", b.String())
	}
}
