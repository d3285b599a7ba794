package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tuning shortens the cluster's timings so that meshes form and failures
// show within a second or two.
var tuning = []string{"GARAGE_PING_INTERVAL=200ms", "GARAGE_STATUS_INTERVAL=400ms", "GARAGE_FAIL_AFTER=2"}

// proc is one daemon process of a test cluster.
type proc struct {
	t      *testing.T
	name   string
	config string // path of its garage.toml
	addr   string
	s3addr string // its S3 API
	id     string // full node id, known once started
	env    []string
	cmd    *exec.Cmd
	log    *os.File
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// newProc writes the configuration of a node in dir/name.
func newProc(t *testing.T, dir, name, secret string, boot ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, config: filepath.Join(dir, name+".toml"), addr: freePort(t), s3addr: freePort(t)}
	var peers []string
	for _, b := range boot {
		peers = append(peers, fmt.Sprintf("%q", b))
	}
	cfg := fmt.Sprintf(`metadata_dir = %q
data_dir = %q
metadata_fsync = true
data_fsync = true
replication_factor = 3
rpc_bind_addr = %q
rpc_secret = %q
bootstrap_peers = [%s]
[s3_api]
api_bind_addr = %q
`, filepath.Join(dir, name, "meta"), filepath.Join(dir, name, "data"), p.addr, secret, strings.Join(peers, ", "), p.s3addr)
	if err := os.WriteFile(p.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// start runs the daemon and waits until `node id` answers.
func (p *proc) start() {
	p.t.Helper()
	log, err := os.OpenFile(p.config+".log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	p.log = log
	p.cmd = exec.Command(binary, "server", "-c", p.config) // the config flag after the command, as the README writes it
	p.cmd.Env = append(append(cleanEnv(), tuning...), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(p.kill)
	eventually(p.t, p.name+" gives its node id", func() error {
		r := p.run("node", "id", "-q")
		if r.code != 0 {
			return fmt.Errorf("%s", r.stderr)
		}
		p.id, _, _ = strings.Cut(strings.TrimSpace(r.stdout), "@")
		return nil
	})
}

// kill sends SIGKILL (kill -9) and reaps the process.
func (p *proc) kill() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
	p.cmd = nil
	p.log.Close()
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		p.t.Errorf("%s after SIGTERM: %v (log %s)", p.name, err, p.config+".log")
	}
	p.cmd = nil
	p.log.Close()
}

// run runs a CLI command against this node.
func (p *proc) run(args ...string) result {
	p.t.Helper()
	return runGarage(p.t, nil, append([]string{"-c", p.config}, args...)...)
}

// must runs a CLI command that must succeed and returns its stdout.
func (p *proc) must(args ...string) string {
	p.t.Helper()
	r := p.run(args...)
	if r.code != 0 {
		p.t.Fatalf("garage %v on %s: exit %d: %s", args, p.name, r.code, r.stderr)
	}
	return r.stdout
}

// eventually retries check every 100 ms for up to 30 s.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// statusSections splits `garage status` output into the short ids of the
// healthy and of the failed nodes.
func statusSections(out string) (healthy, failed []string) {
	dst := &healthy
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "==== FAILED"):
			dst = &failed
		case len(f) == 0 || f[0] == "ID" || strings.HasPrefix(line, "===="):
		case len(f[0]) == 16:
			*dst = append(*dst, f[0])
		}
	}
	return healthy, failed
}

// waitHealthy waits until p's status lists exactly want as healthy.
func waitHealthy(t *testing.T, p *proc, want ...*proc) {
	t.Helper()
	eventually(t, p.name+" lists every node healthy", func() error {
		r := p.run("status")
		if r.code != 0 {
			return fmt.Errorf("status: %s", r.stderr)
		}
		healthy, _ := statusSections(r.stdout)
		if len(healthy) != len(want) {
			return fmt.Errorf("healthy %v, want %d nodes:\n%s", healthy, len(want), r.stdout)
		}
		for _, w := range want {
			if !strings.Contains(r.stdout, w.id[:16]) {
				return fmt.Errorf("%s missing:\n%s", w.name, r.stdout)
			}
		}
		return nil
	})
}

// startCluster starts three nodes; the second and third know only the
// first, as bootstrap peer.
func startCluster(t *testing.T, secret string) []*proc {
	dir := t.TempDir()
	n1 := newProc(t, dir, "n1", secret)
	n1.start()
	boot := n1.id + "@" + n1.addr
	n2, n3 := newProc(t, dir, "n2", secret, boot), newProc(t, dir, "n3", secret, boot)
	n2.start()
	n3.start()
	ps := []*proc{n1, n2, n3}
	for _, p := range ps {
		waitHealthy(t, p, ps...)
	}
	return ps
}

const testSecret = "2f1a5bd6c4e93a0c7de8b6f05a9412c3d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3"

func TestRealCluster(t *testing.T) {
	ps := startCluster(t, testSecret)
	t.Run("layout", func(t *testing.T) { testLayoutThroughCLI(t, ps) })
	t.Run("layout edits", func(t *testing.T) { testLayoutEdits(t, ps) })
	t.Run("wrong secret", func(t *testing.T) { testWrongSecret(t, ps) })
	var key s3Key
	t.Run("buckets and keys", func(t *testing.T) { key = testBucketsThroughCLI(t, ps) })
	t.Run("kill with buckets", func(t *testing.T) { testKillWithBuckets(t, ps, key) })
	t.Run("kill -9", func(t *testing.T) { testKill9(t, ps) })
}

// testLayoutThroughCLI assigns a role to every node by id prefix, applies
// the layout on the first node and waits for the others to have it.
func testLayoutThroughCLI(t *testing.T, ps []*proc) {
	for i, p := range ps {
		out := ps[0].must("layout", "assign", "-z", fmt.Sprintf("dc%d", i+1), "-c", "1G", p.id[:8])
		if want := fmt.Sprintf("Staged: node %s in zone dc%d, capacity 1.0 GB", p.id[:16], i+1); !strings.Contains(out, want) {
			t.Errorf("layout assign does not echo %q:\n%s", want, out)
		}
	}
	if show := ps[1].must("layout", "show"); !strings.Contains(show, "garage layout apply --version 1") {
		t.Errorf("layout show before apply does not propose version 1:\n%s", show)
	}
	ps[0].must("layout", "apply", "--version", "1")
	for _, p := range ps {
		eventually(t, p.name+" has layout version 1", func() error {
			if out := p.must("layout", "show"); !strings.Contains(out, "Current cluster layout version: 1") {
				return fmt.Errorf("%s", out)
			}
			return nil
		})
		eventually(t, p.name+" finishes the transition to version 1", func() error {
			if out := p.must("layout", "history"); !strings.Contains(out, "stable state") {
				return fmt.Errorf("%s", out)
			}
			return nil
		})
		if out := p.must("status"); strings.Contains(out, "NO ROLE") {
			t.Errorf("%s: a node has no role after apply:\n%s", p.name, out)
		}
	}
	if out := ps[1].must("debug", "put", "greeting", "hello"); !strings.HasPrefix(out, `Written "greeting" (5 bytes), timestamp `) {
		t.Errorf("debug put output is not labelled: %q", out)
	}
	if got := strings.TrimSpace(ps[2].must("debug", "get", "greeting")); got != "hello" {
		t.Errorf("debug get on n3: got %q, want hello", got)
	}
}

// testWrongSecret starts a node whose rpc_secret differs, bootstrapped
// from the first node: it must reach no one, and no one may list it.
func testWrongSecret(t *testing.T, ps []*proc) {
	wrong := strings.Repeat("ab", 32)
	bad := newProc(t, t.TempDir(), "bad", wrong, ps[0].id+"@"+ps[0].addr)
	bad.start()
	time.Sleep(2 * time.Second) // ten ping rounds: time to be wrongly accepted
	healthy, failed := statusSections(bad.must("status"))
	if len(healthy) != 1 || healthy[0] != bad.id[:16] {
		t.Errorf("node with the wrong secret sees healthy %v, want only itself", healthy)
	}
	if len(failed) != 1 || failed[0] != ps[0].id[:16] {
		t.Errorf("node with the wrong secret lists failed %v, want its bootstrap peer", failed)
	}
	for _, p := range ps {
		if out := p.must("status"); strings.Contains(out, bad.id[:16]) {
			t.Errorf("%s lists the node with the wrong secret:\n%s", p.name, out)
		}
	}
	r := runGarage(t, []string{"GARAGE_RPC_SECRET=" + wrong}, "-c", ps[0].config, "status")
	if r.code != 1 || !strings.Contains(r.stderr, "rpc_secret") {
		t.Errorf("CLI with the wrong secret: exit %d, stderr %q; want 1 and a hint at rpc_secret", r.code, r.stderr)
	}
	bad.stop()
}

// testLayoutEdits stages changes through the CLI, checks that another node
// shows them, and reverts them; and checks the errors of bad node ids.
func testLayoutEdits(t *testing.T, ps []*proc) {
	if out := ps[2].must("health"); !strings.Contains(out, "Cluster health:   healthy") {
		t.Errorf("health after layout 1:\n%s", out)
	}
	if out := ps[0].must("layout", "remove", ps[2].id[:6]); !strings.Contains(out, "Staged: removal of node "+ps[2].id[:16]) {
		t.Errorf("layout remove does not echo what it staged:\n%s", out)
	}
	ps[0].must("layout", "config", "-r", "2")
	eventually(t, "n2 shows the staged changes", func() error {
		r := ps[1].run("layout", "show")
		// Removing one node of three with RF 3 cannot be applied: say so,
		// and exit 1.
		if r.code != 1 || !strings.Contains(r.stdout, ps[2].id[:16]+"  REMOVED") ||
			!strings.Contains(r.stdout, "Zone redundancy: at least 2") ||
			!strings.Contains(r.stdout, "needs 3 storage nodes, have 2") || !strings.Contains(r.stderr, "cannot be applied") {
			return fmt.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return nil
	})
	r := ps[0].run("layout", "apply", "--version", "5")
	if r.code != 1 || !strings.Contains(r.stderr, "version") {
		t.Errorf("layout apply of a wrong version: exit %d, %q", r.code, r.stderr)
	}
	ps[1].must("layout", "revert")
	eventually(t, "n1 sees the staging reverted", func() error {
		if out := ps[0].must("layout", "show"); strings.Contains(out, "STAGED") {
			return fmt.Errorf("%s", out)
		}
		return nil
	})
	for _, tt := range []struct{ prefix, want string }{
		{"zzzz", "no known node id starts with"},
		{"", "empty node id"},
	} {
		r := ps[0].run("layout", "remove", tt.prefix)
		if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("layout remove %q: exit %d, %q; want 1 and %q", tt.prefix, r.code, r.stderr, tt.want)
		}
	}
	testNothingStaged(t, ps[0])
}

// testNothingStaged checks that apply and revert with nothing staged say
// so and change nothing: apply fails (no version was made), revert does
// not (there is nothing staged, as asked).
func testNothingStaged(t *testing.T, p *proc) {
	before := p.must("layout", "history")
	r := p.run("layout", "apply", "--version", "2")
	if r.code != 1 || !strings.Contains(r.stderr, "nothing to apply: no layout change is staged") {
		t.Errorf("apply with nothing staged: exit %d, stderr %q; want 1 and nothing to apply", r.code, r.stderr)
	}
	r = p.run("layout", "revert")
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing to revert") {
		t.Errorf("revert with nothing staged: exit %d, stdout %q; want 0 and nothing to revert", r.code, r.stdout)
	}
	if after := p.must("layout", "history"); after != before {
		t.Errorf("layout changed by apply/revert with nothing staged:\n%s\nthen\n%s", before, after)
	}
}
