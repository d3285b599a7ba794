package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestCampaignCommandPasses(t *testing.T) {
	code, out, errOut := runCmd(t, "campaign", "--seeds", "1-3", "--nemesis", "partition,crash",
		"--workload", "register,set", "--parallel", "2", "--html", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	for _, want := range []string{"campaign: 3 seeds × [register set] × [partition crash]", "raw   list  durab",
		"register  partition       3      0", "set       crash           3      0", "total                    12      0", "wall time"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

var replayLine = regexp.MustCompile(`(?m)^  replay: go run ./cmd/garage-sim (run .*)$`)

// TestCampaignFailureReplays runs a negative control: failing runs must be
// listed with a replay command that, run, fails the same way.
func TestCampaignFailureReplays(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "campaign", "--seeds", "1-4", "--nemesis", "partition", "--workload", "register",
		"--mode", "dangerous", "--html", dir)
	if code != 1 || !strings.Contains(errOut, "runs failed") {
		t.Fatalf("exit %d, stderr %q; want 1 and failed runs\n%s", code, errOut, out)
	}
	m := replayLine.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "FAIL register/partition seed=") || !strings.Contains(out, "  history: "+dir) {
		t.Fatalf("no failure with replay and history in:\n%s", out)
	}
	args := append(strings.Fields(m[1]), "--html", t.TempDir())
	code, rout, rerr := runCmd(t, args...)
	if code != 1 || !strings.Contains(rout, "read-after-write: FAIL") || !strings.Contains(rout, "nemesis @") {
		t.Errorf("replay %v: exit %d, want 1 with the violation and nemesis events\n%s\n%s", args, code, rout, rerr)
	}
}

func TestRunWithNemesisIsDeterministic(t *testing.T) {
	args := []string{"run", "--workload", "set", "--seed", "4", "--nemesis", "all", "--html", t.TempDir()}
	code1, out1, err1 := runCmd(t, args...)
	code2, out2, _ := runCmd(t, args...)
	if code1 != 0 || code2 != 0 {
		t.Fatalf("exit %d/%d: %s\n%s", code1, code2, err1, out1)
	}
	h1, h2 := hashLine.FindString(out1), hashLine.FindString(out2)
	if h1 == "" || h1 != h2 || !strings.Contains(out1, "list-after-write: ok") || !strings.Contains(out1, "convergence: ok") {
		t.Errorf("runs differ or lack checks:\n%s\n---\n%s", out1, out2)
	}
	if code, out, errOut := runCmd(t, "lockstep", "--workload", "set", "--seed", "4", "--nemesis", "crash"); code != 0 ||
		!strings.Contains(out, "agree at every step") {
		t.Errorf("lockstep: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestCampaignBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"campaign", "--nemesis", "meteor"}, `unknown nemesis "meteor"`},
		{[]string{"campaign", "--seeds", "9-1"}, "end before start"},
		{[]string{"campaign", "--workload", "queue"}, `unknown workload "queue"`},
		{[]string{"campaign", "--mode", "yolo"}, `unknown consistency mode "yolo"`},
		{[]string{"campaign", "extra"}, `unexpected argument "extra"`},
		{[]string{"run", "--nemesis", "meteor"}, `unknown nemesis "meteor"`},
		{[]string{"run", "--workload", "queue"}, `unknown workload "queue"`},
		{[]string{"compare"}, `unknown command "compare"`},
		{[]string{"real"}, `unknown command "real"`},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
