package campaign

import (
	"testing"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/workload"
)

func TestRegisterScenarioPassesChecks(t *testing.T) {
	res, err := Run(Default(7))
	if err != nil {
		t.Fatal(err)
	}
	final := 0
	for _, o := range res.Ops {
		if o.Final {
			final++
		}
	}
	if len(res.Ops)-final != 5*40 || final != 4 {
		t.Fatalf("recorded %d ops and %d final reads, want 200 and 4", len(res.Ops)-final, final)
	}
	results, err := checker.CheckAll(res.History, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		t.Log(r)
		if r.Gate() && !r.OK {
			t.Errorf("%s failed: %v", r.Name, r.Violations)
		}
	}
	t.Logf("hash %x steps %d virtual %v wall %v\n%s", res.TraceHash, res.Steps, res.Virtual, res.Wall, workload.FormatStats(workload.Summarise(res.Ops, "get", "put", "delete")))
}
