package realproc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

// StateFile is the file, in a cluster's directory, that names its
// processes: what `garage-sim cluster down` reads to stop exactly them.
const StateFile = "cluster.json"

// NodeInfo is one process of a cluster started by StartCluster.
type NodeInfo struct {
	Name   string `json:"name"`
	Zone   string `json:"zone"`
	ID     string `json:"id"`
	RPC    string `json:"rpc"`          // <id>@host:port
	Admin  string `json:"admin"`        // http://host:port of the admin API
	S3     string `json:"s3,omitempty"` // http://host:port of the S3 API
	Config string `json:"config"`
	Dir    string `json:"dir"`
	PID    int    `json:"pid"`
}

// ClusterInfo is a running cluster, as persisted in Dir/StateFile.
type ClusterInfo struct {
	Dir        string     `json:"dir"`
	AdminToken string     `json:"admin_token"`
	RPCSecret  string     `json:"rpc_secret"` // hexadecimal, as in garage.toml
	Nodes      []NodeInfo `json:"nodes"`
	// Bucket is the bucket StartCluster created, if asked, and Key the
	// access key allowed on it.
	Bucket string `json:"bucket,omitempty"`
	Key    *S3Key `json:"key,omitempty"`
}

// S3Key is an access key and its secret.
type S3Key struct {
	Name   string `json:"name"`
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// S3Region is the region of the S3 API of the clusters started here.
const S3Region = "garage"

// StartCluster starts o.Nodes `garage server` processes (o.Garage) in
// dir, detached so that they outlive the caller, each with an admin API
// (and an S3 API if o.S3), links between zones shaped to o.RTT ±
// o.Jitter; it waits for the mesh, assigns every node but the o.Spares
// last ones a 1 GB role in its zone, applies layout version 1, waits for every node to finish the
// transition, creates o.Bucket and an access key o.KeyName allowed on it
// (if o.Bucket is set) and records the cluster in dir/StateFile. On error
// it kills what it started.
func StartCluster(ctx context.Context, o Options, dir string) (ClusterInfo, error) {
	if _, err := os.Stat(filepath.Join(dir, StateFile)); err == nil {
		return ClusterInfo{}, fmt.Errorf("%s already holds a cluster (garage-sim cluster down --dir %s first)", dir, dir)
	}
	if o.Spares < 0 || o.Spares >= o.Nodes {
		return ClusterInfo{}, fmt.Errorf("%d spares of %d nodes: want at least one node with a role", o.Spares, o.Nodes)
	}
	if o.AdminToken == "" {
		tok := make([]byte, 24)
		rand.Read(tok)
		o.AdminToken = base64.RawURLEncoding.EncodeToString(tok)
	}
	o.InterZoneOnly = true
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
		func() error { return c.assignLayout(ctx, o.Spares) },
		func() error { return c.waitLayout(ctx, 1, 60*time.Second) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return ClusterInfo{}, fmt.Errorf("%w (server logs: %s/n*/server.log)", err, dir)
		}
	}
	info := ClusterInfo{Dir: dir, AdminToken: o.AdminToken, RPCSecret: hex.EncodeToString(c.secret[:])}
	if o.Bucket != "" {
		key, err := c.createBucket(ctx, o.Bucket, o.KeyName)
		if err != nil {
			return ClusterInfo{}, err
		}
		info.Bucket, info.Key = o.Bucket, &key
	}
	for _, p := range c.procs {
		info.Nodes = append(info.Nodes, NodeInfo{Name: p.name, Zone: p.zone, ID: string(p.id), RPC: p.target(),
			Admin: "http://" + p.adminAddr, S3: daemon.EndpointURL(p.s3Addr), Config: p.configPath(), Dir: p.dir,
			PID: p.cmd.Process.Pid})
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

// createBucket creates bucket and access key name through node 1 and
// lets the key read, write and own the bucket.
func (c *procCluster) createBucket(ctx context.Context, bucket, name string) (S3Key, error) {
	k, err := c.admins[0].KeyCreate(ctx, name)
	if err != nil {
		return S3Key{}, fmt.Errorf("create access key %q: %w", name, err)
	}
	if _, err := c.admins[0].BucketCreate(ctx, bucket); err != nil {
		return S3Key{}, fmt.Errorf("create bucket %q: %w", bucket, err)
	}
	perm := garage.BucketPermRequest{Bucket: bucket, Key: k.ID, Read: true, Write: true, Owner: true}
	// Node 1 reads the bucket and key locally: retry while its replica
	// lags behind the write quorum.
	err = waitFor(ctx, 10*time.Second, "the key's permission on the bucket", func(ctx context.Context) error {
		return c.admins[0].BucketAllow(ctx, perm)
	})
	if err != nil {
		return S3Key{}, fmt.Errorf("allow key %s on bucket %q: %w", k.ID, bucket, err)
	}
	return S3Key{Name: name, ID: k.ID, Secret: k.Secret}, nil
}
