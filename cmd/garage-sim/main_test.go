package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

var hashLine = regexp.MustCompile(`(?m)^trace hash ([0-9a-f]{16})$`)

func TestRunPrintsSameHashTwice(t *testing.T) {
	args := []string{"run", "--workload", "register", "--seed", "7", "--ops", "10", "--html", t.TempDir()}
	code1, out1, err1 := runCmd(t, args...)
	code2, out2, _ := runCmd(t, args...)
	if code1 != 0 || code2 != 0 {
		t.Fatalf("exit %d/%d: %s", code1, code2, err1)
	}
	h1, h2 := hashLine.FindStringSubmatch(out1), hashLine.FindStringSubmatch(out2)
	if h1 == nil || h2 == nil || h1[1] != h2[1] {
		t.Fatalf("hashes differ or missing:\n%s\n---\n%s", out1, out2)
	}
	for _, want := range []string{"get ", "put ", "read-after-write: ok", "steps "} {
		if !strings.Contains(out1, want) {
			t.Errorf("output lacks %q:\n%s", want, out1)
		}
	}
	_, out3, _ := runCmd(t, "run", "--seed", "8", "--ops", "10", "--html", t.TempDir())
	if h3 := hashLine.FindStringSubmatch(out3); h3 == nil || h3[1] == h1[1] {
		t.Errorf("seed 8 printed the hash of seed 7 (or none):\n%s", out3)
	}
}

func TestNaiveTimestampsFailWithReplay(t *testing.T) {
	// Skew one node's clock far behind: naive timestamps then lose writes,
	// and the run must fail and print the command that replays it.
	code, out, errOut := runCmd(t, "run", "--seed", "3", "--naive-ts", "--skew", "10s", "--html", t.TempDir())
	if code != 1 {
		t.Fatalf("exit %d, want 1 (violations); out:\n%s\nerr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "replay: go run ./cmd/garage-sim run --workload register --seed 3 --") {
		t.Errorf("no replay command in:\n%s", errOut)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run", "--scenario", "register"}, "flag provided but not defined: -scenario"},
		{[]string{}, "usage: garage-sim <command>"},
		{[]string{"run", "--mode", "yolo"}, `unknown consistency mode "yolo"`},
		{[]string{"run", "--rf", "9"}, "--rf must be between 1 and the nodes with a role (5), got 9"},
		{[]string{"run", "--seed", "x"}, "invalid value"},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestDefaultMemoryLimit: a quarter of the memory, capped at 4 GiB, and
// 2 GiB when /proc/meminfo says nothing; this machine's total is read.
func TestDefaultMemoryLimit(t *testing.T) {
	for _, c := range []struct{ total, want int64 }{
		{0, 2 << 30}, {8 << 30, 2 << 30}, {24 << 30, 4 << 30}, {2 << 30, 512 << 20},
	} {
		if got := defaultMemoryLimit(c.total); got != c.want {
			t.Errorf("defaultMemoryLimit(%d) = %d, want %d", c.total, got, c.want)
		}
	}
	if _, err := os.Stat("/proc/meminfo"); err == nil && memTotal() <= 0 {
		t.Error("memTotal read nothing from /proc/meminfo")
	}
}
