// Package simtest holds test helpers shared by the packages that prove the
// simulator deterministic: the same seed must give the same trace hash in
// another process and under any GOMAXPROCS.
package simtest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Procs are the GOMAXPROCS values HashAcrossProcesses tries.
var Procs = []int{1, 2, 8}

// ChildSeed returns the seed a child process was started for, read from
// the environment variable env, or false in the parent (the child test
// then skips itself).
func ChildSeed(t testing.TB, env string) (uint64, bool) {
	s := os.Getenv(env)
	if s == "" {
		return 0, false
	}
	seed, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", env, s, err)
	}
	return seed, true
}

// PrintHash is what the child test prints: the line HashAcrossProcesses
// reads.
func PrintHash(h uint64) { fmt.Printf("HASH=%016x\n", h) }

// HashAcrossProcesses re-executes the test binary once per value of Procs,
// running only the test named child with env set to seed, and fails t if a
// child prints a hash other than want.
func HashAcrossProcesses(t *testing.T, env, child string, seed, want uint64) {
	t.Helper()
	if os.Getenv(env) != "" {
		t.Skip("in a child")
	}
	for _, procs := range Procs {
		if got := childHash(t, env, child, seed, procs); got != fmt.Sprintf("%016x", want) {
			t.Errorf("GOMAXPROCS=%d: child hash %s, parent %016x", procs, got, want)
		}
	}
}

// childHash runs test child in a new process with GOMAXPROCS=procs and
// returns the hash it printed.
func childHash(t *testing.T, env, child string, seed uint64, procs int) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", env, seed), fmt.Sprintf("GOMAXPROCS=%d", procs))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child GOMAXPROCS=%d: %v\n%s", procs, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if h, ok := strings.CutPrefix(line, "HASH="); ok {
			return h
		}
	}
	t.Fatalf("child GOMAXPROCS=%d printed no hash:\n%s", procs, out)
	return ""
}
