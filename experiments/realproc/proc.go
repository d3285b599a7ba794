package realproc

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/rt"
)

// procTuning shortens the cluster's timings so that the mesh forms and a
// killed node is seen down within a couple of seconds.
var procTuning = []string{"GARAGE_PING_INTERVAL=500ms", "GARAGE_STATUS_INTERVAL=500ms",
	"GARAGE_FAIL_AFTER=3", "GARAGE_LOG_LEVEL=warn"}

// stopTimeout bounds a clean stop (SIGTERM) before SIGKILL.
const stopTimeout = 10 * time.Second

// freeLoopback returns a loopback address whose port is free right now.
func freeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// realProc is one `garage server` process of a real cluster. Its identity
// is created before the first start so that peers and the shaper can name
// it up front.
type realProc struct {
	name, zone string
	dir        string // holds meta/, data/, garage.toml, server.log
	id         rt.NodeID
	addr       string
	bin        string
	args       []string // server flags (netem)
	adminAddr  string   // admin HTTP API, when the config has one
	s3Addr     string   // S3 API, when the config has one
	detach     bool     // outlive this process (garage-sim cluster up)

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed once cmd has been reaped
}

// newProc creates the node's directory and identity and picks its port.
func newProc(bin, dir, name, zone string) (*realProc, error) {
	p := &realProc{name: name, zone: zone, dir: dir, bin: bin}
	if err := os.MkdirAll(filepath.Join(dir, "meta"), 0o700); err != nil {
		return nil, fmt.Errorf("node %s: %w", name, err)
	}
	key, err := nodekey.LoadOrCreate(filepath.Join(dir, "meta"))
	if err != nil {
		return nil, fmt.Errorf("node %s identity: %w", name, err)
	}
	p.id = nodekey.ID(key.Public().(ed25519.PublicKey))
	if p.addr, err = freeLoopback(); err != nil {
		return nil, err
	}
	return p, nil
}

// target is "<id>@<addr>", what clients dial and peers bootstrap from.
func (p *realProc) target() string { return string(p.id) + "@" + p.addr }

func (p *realProc) configPath() string { return filepath.Join(p.dir, "garage.toml") }

// writeConfig writes the node's garage.toml.
func (p *realProc) writeConfig(o Options, secret string, boot []string) error {
	peers := make([]string, len(boot))
	for i, b := range boot {
		peers[i] = fmt.Sprintf("%q", b)
	}
	cfg := fmt.Sprintf(`metadata_dir = %q
data_dir = %q
metadata_fsync = %t
data_fsync = %t
replication_factor = %d
consistency_mode = %q
rpc_bind_addr = %q
rpc_secret = %q
bootstrap_peers = [%s]
`, filepath.Join(p.dir, "meta"), filepath.Join(p.dir, "data"), o.Fsync, o.Fsync, o.RF, o.Mode,
		p.addr, secret, strings.Join(peers, ", "))
	if p.s3Addr != "" {
		cfg += fmt.Sprintf("\n[s3_api]\napi_bind_addr = %q\ns3_region = %q\n", p.s3Addr, S3Region)
	}
	if p.adminAddr != "" {
		cfg += fmt.Sprintf("\n[admin]\napi_bind_addr = %q\nadmin_token = %q\nmetrics_token = %q\n",
			p.adminAddr, o.AdminToken, o.AdminToken)
	}
	if err := os.WriteFile(p.configPath(), []byte(cfg), 0o600); err != nil {
		return fmt.Errorf("node %s config: %w", p.name, err)
	}
	return nil
}

// start runs the server; it does not wait for it to answer.
func (p *realProc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return fmt.Errorf("node %s already running", p.name)
	}
	log, err := os.OpenFile(filepath.Join(p.dir, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("node %s log: %w", p.name, err)
	}
	defer log.Close() // the child keeps its own descriptor
	cmd := exec.Command(p.bin, append([]string{"-c", p.configPath(), "server"}, p.args...)...)
	cmd.Env = append(os.Environ(), procTuning...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = procAttr()
	if p.detach {
		cmd.SysProcAttr = detachedAttr()
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start node %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

// running reports whether the process was started and not yet reaped.
func (p *realProc) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil
}

// kill sends SIGKILL to the node's process group and reaps it. It is a
// no-op on a node that is not running.
func (p *realProc) kill() {
	cmd, done := p.take()
	if cmd == nil {
		return
	}
	killGroup(cmd.Process)
	<-done
}

// stop sends SIGTERM and waits for a clean exit, killing the process if it
// does not exit within stopTimeout.
func (p *realProc) stop() error {
	cmd, done := p.take()
	if cmd == nil {
		return nil
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(stopTimeout):
		killGroup(cmd.Process)
		<-done
		return fmt.Errorf("node %s ignored SIGTERM for %v (see %s)", p.name, stopTimeout, p.dir)
	}
	if st := cmd.ProcessState; !st.Success() {
		return fmt.Errorf("node %s exited with %v after SIGTERM (see %s)", p.name, st, p.dir)
	}
	return nil
}

// take detaches the running command, so that only one caller kills or
// stops it.
func (p *realProc) take() (*exec.Cmd, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cmd, done := p.cmd, p.done
	p.cmd, p.done = nil, nil
	return cmd, done
}

// killAll kills every process of ps; it runs on every exit path.
func killAll(ps []*realProc) {
	for _, p := range ps {
		p.kill()
	}
}

// stopAll stops every running process of ps cleanly, returning the first
// error.
func stopAll(ps []*realProc) error {
	var errs []error
	for _, p := range ps {
		errs = append(errs, p.stop())
	}
	return errors.Join(errs...)
}
