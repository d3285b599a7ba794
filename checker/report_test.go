package checker

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	var r Report
	r.Add("seed=1", Result{Name: CheckRAW, OK: true, Checked: 10}, Result{Name: CheckLinear, OK: true, Canary: true, Checked: 2})
	r.Add("seed=2", Result{Name: CheckRAW, Checked: 12, Violations: []Violation{{Rule: "stale-read"}, {Rule: "stale-read"}}},
		Result{Name: CheckLinear, Canary: true, Checked: 2, Violations: []Violation{{Rule: "not-linearizable"}}})
	r.Add("seed=3", Result{Name: "custom", OK: true}, Result{Name: CheckRAW, OK: true, Checked: 1})
	if !r.Failed() || r.Runs() != 3 {
		t.Errorf("Failed() = %v, Runs() = %d", r.Failed(), r.Runs())
	}
	var b strings.Builder
	if err := r.Print(&b); err != nil {
		t.Fatal(err)
	}
	want := `check             kind    runs  failed  violations  checked  rules               first failure
read-after-write  gate    3     1       2           23       stale-read=2        seed=2
linearizability   canary  2     1       1           4        not-linearizable=1  seed=2
custom            gate    1     0       0           0        -                   -
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReportCanaryOnly(t *testing.T) {
	var r Report
	r.Add("seed=1", Result{Name: CheckTSGlobal, Canary: true, Violations: []Violation{{Rule: "timestamp-inversion"}}})
	if r.Failed() {
		t.Error("a canary failure must not fail the report")
	}
}

func TestFailingKeys(t *testing.T) {
	rs := []Result{
		{Name: CheckRAW, Violations: []Violation{{Key: "k2"}, {Key: "k1"}, {Key: "k2"}}},
		{Name: CheckLinear, Canary: true, Violations: []Violation{{Key: "k9"}}},
		{Name: CheckList, Violations: []Violation{{Key: "s0"}}},
		{Name: CheckConvergence, Violations: []Violation{{Key: "17"}}},
	}
	if got, want := FailingKeys(rs), []string{"k1", "k2", "s0"}; !equalStrings(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
