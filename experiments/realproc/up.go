package realproc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// StateFile is the file, in a cluster's directory, that names its
// processes: what `garage-sim cluster down` reads to stop exactly them.
const StateFile = "cluster.json"

// NodeInfo is one process of a cluster started by StartCluster.
type NodeInfo struct {
	Name   string `json:"name"`
	Zone   string `json:"zone"`
	ID     string `json:"id"`
	RPC    string `json:"rpc"`   // <id>@host:port
	Admin  string `json:"admin"` // http://host:port of the admin API
	Config string `json:"config"`
	Dir    string `json:"dir"`
	PID    int    `json:"pid"`
}

// ClusterInfo is a running cluster, as persisted in Dir/StateFile.
type ClusterInfo struct {
	Dir        string     `json:"dir"`
	AdminToken string     `json:"admin_token"`
	Nodes      []NodeInfo `json:"nodes"`
}

// StartCluster starts o.Nodes `garage server` processes (o.Garage) in
// dir, detached so that they outlive the caller, each with an admin API,
// links between zones shaped to o.RTT ± o.Jitter; it waits for the mesh,
// assigns every node a 1 GB role in its zone, applies layout version 1,
// waits for every node to finish the transition and records the cluster
// in dir/StateFile. On error it kills what it started.
func StartCluster(ctx context.Context, o Options, dir string) (ClusterInfo, error) {
	if _, err := os.Stat(filepath.Join(dir, StateFile)); err == nil {
		return ClusterInfo{}, fmt.Errorf("%s already holds a cluster (garage-sim cluster down --dir %s first)", dir, dir)
	}
	if o.AdminToken == "" {
		tok := make([]byte, 24)
		rand.Read(tok)
		o.AdminToken = base64.RawURLEncoding.EncodeToString(tok)
	}
	o.ZoneShaping = true
	c, err := newProcCluster(o, o.Garage, dir)
	if err != nil {
		return ClusterInfo{}, err
	}
	info, err := bootCluster(ctx, c, o, dir)
	for _, cl := range c.admins {
		cl.Close()
	}
	if err != nil {
		killAll(c.procs)
		return ClusterInfo{}, err
	}
	return info, nil
}

func bootCluster(ctx context.Context, c *procCluster, o Options, dir string) (ClusterInfo, error) {
	for _, p := range c.procs {
		p.detach = true
		if err := p.start(); err != nil {
			return ClusterInfo{}, err
		}
	}
	steps := []func() error{
		c.dialAdmins,
		func() error { return c.waitMesh(ctx, 60*time.Second) },
		func() error { return c.assignLayout(ctx) },
		func() error { return c.waitLayout(ctx, 1, 60*time.Second) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return ClusterInfo{}, fmt.Errorf("%w (server logs: %s/n*/server.log)", err, dir)
		}
	}
	info := ClusterInfo{Dir: dir, AdminToken: o.AdminToken}
	for _, p := range c.procs {
		info.Nodes = append(info.Nodes, NodeInfo{Name: p.name, Zone: p.zone, ID: string(p.id), RPC: p.target(),
			Admin: "http://" + p.adminAddr, Config: p.configPath(), Dir: p.dir, PID: p.cmd.Process.Pid})
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, StateFile), append(b, '\n'), 0o600); err != nil {
		return ClusterInfo{}, fmt.Errorf("record the cluster: %w", err)
	}
	return info, nil
}

// LoadCluster reads the cluster recorded in dir.
func LoadCluster(dir string) (ClusterInfo, error) {
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	if errors.Is(err, os.ErrNotExist) {
		return ClusterInfo{}, fmt.Errorf("no cluster in %s (no %s): was it started with garage-sim cluster up --dir %s?", dir, StateFile, dir)
	}
	if err != nil {
		return ClusterInfo{}, err
	}
	var info ClusterInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return ClusterInfo{}, fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	return info, nil
}

// Running reports whether node n's process still runs: its pid is alive
// and its command line names its configuration (a reused pid is not it).
func (n NodeInfo) Running() bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", n.PID))
	return err == nil && n.PID > 0 && strings.Contains(string(cmdline), n.Config)
}

// StopCluster stops exactly the processes of info that still run: SIGTERM,
// then SIGKILL after stopTimeout; then it removes the state file, leaving
// the nodes' directories. It returns the names of the nodes it stopped.
func StopCluster(info ClusterInfo) ([]string, error) {
	var stopped []string
	for _, n := range info.Nodes {
		if !n.Running() {
			continue
		}
		syscall.Kill(n.PID, syscall.SIGTERM)
		stopped = append(stopped, n.Name)
	}
	deadline := time.Now().Add(stopTimeout)
	for _, n := range info.Nodes {
		for n.Running() && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n.Running() {
			syscall.Kill(n.PID, syscall.SIGKILL)
		}
	}
	return stopped, os.Remove(filepath.Join(info.Dir, StateFile))
}
