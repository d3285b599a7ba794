package experiments

import (
	"testing"

	"github.com/gogarage/garage/checker"
)

func TestRegisterScenarioPassesChecks(t *testing.T) {
	res, err := RunRegister(DefaultRegisterConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Ops) != 5*40 {
		t.Fatalf("recorded %d ops, want 200", len(res.Ops))
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
	t.Logf("hash %x steps %d virtual %v wall %v\n%s", res.TraceHash, res.Steps, res.Virtual, res.Wall, FormatStats(Summarise(res.Ops)))
}
