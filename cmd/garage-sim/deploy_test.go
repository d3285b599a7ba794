package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freePort returns a port free on loopback now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestDeployEndToEnd deploys three loopback "hosts" (127.0.0.1 to .3) with
// the generated deploy.sh, as on real machines but for SSH and SCP, which
// run locally: the cluster forms, has its layout, stores and reads a key,
// and stop.sh stops it.
func TestDeployEndToEnd(t *testing.T) {
	bin := buildGarageBin(t)
	root := t.TempDir()
	var inv strings.Builder
	fmt.Fprintf(&inv, "replication_factor = 3\nstart = \"process\"\nssh_user = \"garage\"\n")
	for i := 1; i <= 3; i++ {
		h := filepath.Join(root, fmt.Sprintf("host%d", i))
		fmt.Fprintf(&inv, `
[[host]]
name = "n%d"
address = "127.0.0.%d"
zone = "dc%d"
capacity = "10G"
rpc_port = %d
admin_port = %d
bin_path = %q
config_path = %q
metadata_dir = %q
data_dir = %q
`, i, i, i, freePort(t), freePort(t), h+"/bin/garage", h+"/etc/garage.toml", h+"/meta", h+"/data")
	}
	invPath := filepath.Join(root, "hosts.toml")
	os.WriteFile(invPath, []byte(inv.String()), 0o644)
	out := filepath.Join(root, "deploy")
	if code, stdout, stderr := runCmd(t, "deploy", "--inventory", invPath, "--out", out); code != 0 {
		t.Fatalf("deploy: exit %d\n%s%s", code, stdout, stderr)
	}
	fake := filepath.Join(root, "fake")
	os.MkdirAll(fake, 0o755)
	os.WriteFile(filepath.Join(fake, "ssh"), []byte("#!/bin/sh\nshift\nexec sh -c \"$*\"\n"), 0o755)
	os.WriteFile(filepath.Join(fake, "scp"), []byte("#!/bin/sh\nexec cp \"$1\" \"${2#*:}\"\n"), 0o755)
	env := append(os.Environ(), "SSH="+fake+"/ssh", "SCP="+fake+"/scp", "GARAGE="+bin,
		"GARAGE_PING_INTERVAL=200ms", "GARAGE_STATUS_INTERVAL=300ms")
	t.Cleanup(func() {
		cmd := exec.Command("./stop.sh")
		cmd.Dir, cmd.Env = out, env
		cmd.Run()
	})
	cmd := exec.Command("./deploy.sh")
	cmd.Dir, cmd.Env = out, env
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("deploy.sh: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "deploy.sh: done") || strings.Count(string(b), "dc") < 3 {
		t.Errorf("deploy.sh output:\n%s", b)
	}
	garage := func(args ...string) (string, error) {
		c := exec.Command(bin, append([]string{"-c", filepath.Join(root, "host2/etc/garage.toml")}, args...)...)
		o, err := c.CombinedOutput()
		return string(o), err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := garage("layout", "history")
		if err == nil && strings.Contains(st, "stable state") && strings.Contains(st, "#1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("host 2 never reached layout 1: %v\n%s", err, st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if o, err := garage("debug", "put", "deployed", "yes"); err != nil {
		t.Fatalf("debug put: %v\n%s", err, o)
	}
	if o, err := garage("debug", "get", "deployed"); err != nil || strings.TrimSpace(o) != "yes" {
		t.Errorf("debug get: %v %q", err, o)
	}
	stop := exec.Command("./stop.sh")
	stop.Dir, stop.Env = out, env
	if o, err := stop.CombinedOutput(); err != nil || strings.Count(string(o), "stopped") != 3 {
		t.Errorf("stop.sh: %v\n%s", err, o)
	}
}

func TestDeployBadInventory(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ text, want string }{
		{"[[host]]\nname = \"a\"\naddress = \"h\"\nzone = \"z\"\ncapacity = \"1T\"\n", "1 hosts for replication_factor 3"},
		{"replication_factor = 1\n[[host]]\nname = \"a\"\naddress = \"h\"\nzone = \"z\"\ncapacity = \"10X\"\n", `capacity "10X"`},
		{"replication_factor = 1\nsshuser = \"x\"\n", "unknown key sshuser"},
	} {
		p := filepath.Join(dir, "inv.toml")
		os.WriteFile(p, []byte(tc.text), 0o644)
		code, _, errOut := runCmd(t, "deploy", "--inventory", p, "--out", filepath.Join(dir, "out"))
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("inventory %q: exit %d, %q; want 1 and %q", tc.text, code, errOut, tc.want)
		}
	}
}
