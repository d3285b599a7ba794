package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExperimentLatencyQuick is the README's first command at CI size: it
// prints the table, the figures' paths and one verdict line, and writes
// the figure.
func TestExperimentLatencyQuick(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "experiment", "latency", "--quick", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"endpoint          n failed   mean_ms", "GetObject", "garage0.5_ms",
		"figure " + filepath.Join(out, "latency", "latency.png"), "goal met    GetObject mean latency"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if last := lines[len(lines)-1]; !regexp.MustCompile(`^(PASS|FAIL) latency \(sim\): .*; results in `).MatchString(last) {
		t.Errorf("last line %q is not a verdict with the results' path", last)
	}
	if _, err := os.Stat(filepath.Join(out, "latency", "latency.svg")); err != nil {
		t.Error(err)
	}
}

func TestExperimentHelpAndUsage(t *testing.T) {
	code, stdout, _ := runCmd(t, "experiment", "--help")
	if code != 0 || !strings.Contains(stdout, "zone-failure") || !strings.Contains(stdout, "target file (TOML)") {
		t.Errorf("experiment --help: exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "experiment", "rebalance", "--help")
	if code != 0 || !strings.Contains(stdout, "transitions.csv") {
		t.Errorf("experiment rebalance --help: exit %d:\n%s", code, stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"experiment", "frobnicate"}, `unknown experiment "frobnicate"`},
		{[]string{"experiment"}, "name one experiment, or all"},
		{[]string{"experiment", "latency", "--real", "--target", "x.toml"}, "exclude each other"},
		{[]string{"experiment", "scaling", "--sizes", "6,two"}, "--sizes"},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestPlotRedrawsFromCSV: plot draws a results directory's figures again
// from its CSV and figure specs, and names what is wrong otherwise.
func TestPlotRedrawsFromCSV(t *testing.T) {
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "experiment", "latency", "--quick", "--out", out); code != 0 {
		t.Fatalf("experiment: exit %d: %s\n%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "latency")
	png := filepath.Join(dir, "latency.png")
	if err := os.Remove(png); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCmd(t, "plot", dir); code != 0 || !strings.Contains(stdout, "redrew "+dir) {
		t.Fatalf("plot: exit %d: %s\n%s", code, stdout, stderr)
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
		t.Errorf("latency.png not redrawn: %v", err)
	}
	if code, _, stderr := runCmd(t, "plot"); code != 2 || !strings.Contains(stderr, "name a results directory") {
		t.Errorf("plot without a directory: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "plot", filepath.Join(out, "nothing")); code != 1 {
		t.Errorf("plot of a missing directory: exit %d, want 1", code)
	}
}
