package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// singleNode is a running `garage server --single-node`.
type singleNode struct {
	cmd    *exec.Cmd
	stdout []string // lines printed
	stderr *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSingle runs the single node and waits for its printed lines.
func startSingle(t *testing.T, dir string, args ...string) *singleNode {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"server", "--single-node", "--state-dir", dir}, args...)...)
	cmd.Env = append(cleanEnv(), "GARAGE_LOG_LEVEL=debug")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &singleNode{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("single node exited: %s", s.stderr)
			}
			s.stdout = append(s.stdout, l)
			if strings.HasPrefix(l, "Stop it with Ctrl-C") {
				go func() {
					for range lines {
					}
				}()
				return s
			}
		case <-timeout:
			t.Fatalf("no ready lines after 30 s: %q\n%s", s.stdout, s.stderr)
		}
	}
}

// exports returns the NAME=value pairs of the printed export lines.
func (s *singleNode) exports() []string {
	var env []string
	for _, l := range s.stdout {
		if kv, ok := strings.CutPrefix(l, "export "); ok {
			env = append(env, kv)
		}
	}
	return env
}

func (s *singleNode) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("single node after SIGTERM: %v\n%s", err, s.stderr)
	}
}

// TestSingleNode starts a node as a new user would, uses the CLI with
// nothing but the printed lines, restarts it and finds the same identity
// and data; no secret ever reaches the logs.
func TestSingleNode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s := startSingle(t, dir)
	env := s.exports()
	if len(env) != 1 || !strings.HasPrefix(env[0], "GARAGE_CONFIG_FILE=") {
		t.Fatalf("export lines: %q", s.stdout)
	}
	if !strings.Contains(strings.Join(s.stdout, "\n"), "Created its state in "+dir) {
		t.Errorf("first start does not say it created the state:\n%s", strings.Join(s.stdout, "\n"))
	}
	st := runGarage(t, env, "status")
	if st.code != 0 || !strings.Contains(st.stdout, "dc1") {
		t.Fatalf("status with the printed lines: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	if r := runGarage(t, env, "debug", "put", "hello", "world"); r.code != 0 {
		t.Fatalf("debug put: %s", r.stderr)
	}
	id := runGarage(t, env, "node", "id", "-q").stdout
	s.stop(t)
	s = startSingle(t, dir)
	if !strings.Contains(strings.Join(s.stdout, "\n"), "Reusing its state") {
		t.Errorf("restart does not say it reuses the state:\n%s", strings.Join(s.stdout, "\n"))
	}
	if got := runGarage(t, s.exports(), "node", "id", "-q").stdout; got != id {
		t.Errorf("node id after restart: %q, want %q", got, id)
	}
	if r := runGarage(t, s.exports(), "debug", "get", "hello"); strings.TrimSpace(r.stdout) != "world" {
		t.Errorf("debug get after restart: %q %s", r.stdout, r.stderr)
	}
	if r := runGarage(t, s.exports(), "layout", "history"); !strings.Contains(r.stdout, "#1  ") || strings.Contains(r.stdout, "#2") {
		t.Errorf("restart changed the layout:\n%s", r.stdout)
	}
	s.stop(t)
	for _, name := range []string{"rpc_secret", "admin_token"} {
		secret, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if logs := s.stderr.String(); strings.Contains(logs, strings.TrimSpace(string(secret))) {
			t.Errorf("the %s appears in the logs", name)
		}
		if st, _ := os.Stat(filepath.Join(dir, name)); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
	}
}

// TestSingleNodeDefaultBucket starts a single node with a default bucket,
// as a new user would: the printed lines hold the S3 credentials of a key
// allowed on the bucket, with which aws s3 cp and aws s3 ls work (when an
// awscli is installed: .ci/run installs Debian's); a restart prints the
// same ones and makes no second key.
func TestSingleNodeDefaultBucket(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s := startSingle(t, dir, "--default-bucket", "photos")
	env := s.exports()
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	if !strings.HasPrefix(vars["AWS_ACCESS_KEY_ID"], "GK") || len(vars["AWS_SECRET_ACCESS_KEY"]) != 64 ||
		vars["AWS_DEFAULT_REGION"] != "garage" || !strings.HasPrefix(vars["AWS_ENDPOINT_URL"], "http://127.0.0.1:") {
		t.Fatalf("export lines: %q", s.stdout)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "garage.toml"))
	if err != nil || !strings.Contains(string(cfg), strings.TrimPrefix(vars["AWS_ENDPOINT_URL"], "http://")) {
		t.Errorf("the printed endpoint is not the S3 API of garage.toml: %s\n%s", vars["AWS_ENDPOINT_URL"], cfg)
	}
	info := runGarage(t, env, "bucket", "info", "photos")
	if info.code != 0 || !strings.Contains(info.stdout, "RWO          "+vars["AWS_ACCESS_KEY_ID"]+"  default") {
		t.Fatalf("bucket info with the printed lines: exit %d\n%s%s", info.code, info.stdout, info.stderr)
	}
	secret := runGarage(t, env, "key", "info", "default", "--show-secret")
	if !strings.Contains(secret.stdout, vars["AWS_SECRET_ACCESS_KEY"]) {
		t.Errorf("the printed secret is not the key's:\n%s", secret.stdout)
	}
	awsCopy(t, env, vars["AWS_ENDPOINT_URL"], "photos")
	s.stop(t)
	s = startSingle(t, dir, "--default-bucket", "photos")
	if got := s.exports(); strings.Join(got, "\n") != strings.Join(env, "\n") {
		t.Errorf("after a restart the lines differ:\n%q\nthen\n%q", env, got)
	}
	if keys := runGarage(t, env, "key", "list"); strings.Count(keys.stdout, "GK") != 1 {
		t.Errorf("a restart made another key:\n%s", keys.stdout)
	}
	s.stop(t)
	if logs := s.stderr.String(); strings.Contains(logs, vars["AWS_SECRET_ACCESS_KEY"]) {
		t.Error("the secret key appears in the logs")
	}
}

// awsCopy copies a file into bucket with awscli and lists it, with the
// environment env (the printed export lines): what a new user does first.
// It skips when no awscli is installed.
func awsCopy(t *testing.T, env []string, endpoint, bucket string) {
	t.Helper()
	aws := "/usr/bin/aws" // Debian's awscli v2; an aws on PATH may be a v1
	if _, err := os.Stat(aws); err != nil {
		if aws, err = exec.LookPath("aws"); err != nil {
			t.Log("no awscli installed: aws s3 cp not tried")
			return
		}
	}
	file := filepath.Join(t.TempDir(), "hello.txt")
	if err := os.WriteFile(file, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"s3", "cp", file, "s3://" + bucket + "/"}, {"s3", "ls", "s3://" + bucket}} {
		cmd := exec.Command(aws, append([]string{"--endpoint-url", endpoint}, args...)...)
		cmd.Env = append(withoutCABundle(os.Environ()), env...)
		out, err := cmd.CombinedOutput()
		if err != nil || (args[1] == "ls" && !strings.Contains(string(out), "hello.txt")) {
			t.Errorf("aws %v: %v\n%s", args, err, out)
		}
	}
}

// withoutCABundle drops AWS_CA_BUNDLE, which makes AWS clients refuse
// plain-http endpoints.
func withoutCABundle(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			out = append(out, kv)
		}
	}
	return out
}
