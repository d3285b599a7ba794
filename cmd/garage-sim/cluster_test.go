package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/realproc"
)

// buildGarage builds the garage binary into a test directory.
func buildGarageBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "garage")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/gogarage/garage/cmd/garage").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestClusterUpDown starts a 3-node cluster over 3 zones, uses it with
// the CLI through the printed line, and stops exactly its processes.
func TestClusterUpDown(t *testing.T) {
	bin := buildGarageBin(t)
	dir := filepath.Join(t.TempDir(), "c")
	code, out, errOut := runCmd(t, "cluster", "up", "--nodes", "3", "--zones", "3", "--rtt", "20ms", "--jitter", "4ms",
		"--dir", dir, "--garage", bin)
	info, loadErr := realproc.LoadCluster(dir)
	if loadErr == nil {
		t.Cleanup(func() { realproc.StopCluster(info) })
	}
	if code != 0 {
		t.Fatalf("cluster up: exit %d\n%s%s", code, out, errOut)
	}
	var env []string
	for _, l := range strings.Split(out, "\n") {
		if kv, ok := strings.CutPrefix(l, "export "); ok {
			env = append(env, kv)
		}
	}
	garage := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("garage %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	if st := garage("status"); strings.Count(st, "z1") != 1 || strings.Contains(st, "FAILED") {
		t.Errorf("status:\n%s", st)
	}
	if !strings.Contains(out, "S3 API    http://127.0.0.1:") || len(env) != 5 || !strings.HasPrefix(env[1], "AWS_ACCESS_KEY_ID=GK") {
		t.Errorf("cluster up prints no S3 endpoints or credentials:\n%s", out)
	}
	keyID := strings.TrimPrefix(env[1], "AWS_ACCESS_KEY_ID=")
	target := filepath.Join(dir, "target.toml")
	if tg, err := lab.ReadTarget(target); err != nil || len(tg.Nodes) != 3 || tg.S3.AccessKeyID != keyID ||
		!strings.Contains(out, "--target "+target) {
		t.Errorf("target file %s: %v, %+v; output:\n%s", target, err, tg, out)
	}
	if info := garage("bucket", "info", "garage-sim"); !strings.Contains(info, "RWO          "+keyID+"  garage-sim") {
		t.Errorf("bucket info of the created bucket:\n%s", info)
	}
	garage("debug", "put", "k", "v")
	if got := strings.TrimSpace(garage("debug", "get", "k")); got != "v" {
		t.Errorf("debug get: %q", got)
	}
	if code, _, errOut := runCmd(t, "cluster", "up", "--dir", dir, "--garage", bin); code != 1 || !strings.Contains(errOut, "already holds a cluster") {
		t.Errorf("second up on the same dir: exit %d, %q", code, errOut)
	}
	code, out, _ = runCmd(t, "cluster", "status", "--dir", dir)
	if code != 0 || strings.Count(out, "running") != 3 {
		t.Errorf("status: exit %d\n%s", code, out)
	}
	code, out, errOut = runCmd(t, "cluster", "down", "--dir", dir)
	if code != 0 || !strings.Contains(out, "stopped 3 of 3 nodes") {
		t.Fatalf("down: exit %d\n%s%s", code, out, errOut)
	}
	for _, n := range info.Nodes {
		if n.Running() {
			t.Errorf("%s (pid %d) still runs after down", n.Name, n.PID)
		}
	}
	if code, _, errOut := runCmd(t, "cluster", "down", "--dir", dir); code != 1 || !strings.Contains(errOut, "no cluster in") {
		t.Errorf("down twice: exit %d, %q", code, errOut)
	}
}
