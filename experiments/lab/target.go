package lab

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/gogarage/garage/experiments/realproc"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host/secconn"
)

// Target is a deployed cluster named by a target file (TOML):
//
//	rpc_secret = "<64 hex digits>"      # or rpc_secret_file = "path"
//	rtt = "100ms"                       # optional: the links between zones,
//	jitter = "20ms"                     # and inside a zone, for the
//	intra_zone_rtt = "0.5ms"            # simulated twin of fidelity
//	allow_layout_changes = false        # rebalance may stage and apply
//
//	[s3]                                # the access key the clients sign with
//	bucket = "experiments"              # a bucket it may read and write
//	access_key_id = "GK..."
//	secret_access_key = "..."           # or secret_access_key_file = "path"
//	region = "garage"                   # optional ("garage")
//
//	[[node]]                            # one per node, in the order of Nodes
//	rpc = "<node id>@host:3901"         # admin RPC: status, layout changes
//	s3 = "http://host:3900"             # the node's S3 API (optional for spares)
//
//	[zone_failure]                      # optional: zone-failure may run these,
//	down = "ssh ... systemctl stop garage"  # {zone} replaced by the zone's name
//	up = "ssh ... systemctl start garage"
//
// Zones and roles are read from the cluster's layout. The experiments only
// send requests; they start, stop or reconfigure nothing the file does not
// allow.
type Target struct {
	RPCSecret          string        `toml:"rpc_secret"`
	RPCSecretFile      string        `toml:"rpc_secret_file"`
	RTT                time.Duration `toml:"rtt"`
	Jitter             time.Duration `toml:"jitter"`
	IntraZoneRTT       time.Duration `toml:"intra_zone_rtt"`
	AllowLayoutChanges bool          `toml:"allow_layout_changes"`
	S3                 *TargetS3     `toml:"s3"`
	Nodes              []TargetNode  `toml:"node"`
	ZoneFailure        *Commands     `toml:"zone_failure"`

	path   string
	secret [secconn.SecretSize]byte
}

// TargetNode is one node of a target.
type TargetNode struct {
	RPC string `toml:"rpc"` // "<node id>@host:port"
	S3  string `toml:"s3"`  // "http://host:port", or "" if the node serves no S3
}

// TargetS3 is the access key the experiments sign their S3 requests with,
// and the bucket it may read and write.
type TargetS3 struct {
	Bucket              string `toml:"bucket"`
	AccessKeyID         string `toml:"access_key_id"`
	SecretAccessKey     string `toml:"secret_access_key"`
	SecretAccessKeyFile string `toml:"secret_access_key_file"`
	Region              string `toml:"region"`
}

// Commands are shell commands the experiment is allowed to run.
type Commands struct {
	Down string `toml:"down"`
	Up   string `toml:"up"`
}

// ReadTarget reads and checks a target file.
func ReadTarget(path string) (*Target, error) {
	var t Target
	md, err := toml.DecodeFile(path, &t)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("target %s: unknown key %q", path, und[0].String())
	}
	t.path = path
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("target %s: %w", path, err)
	}
	return &t, nil
}

func (t *Target) check() error {
	if len(t.Nodes) == 0 {
		return errors.New("no [[node]] given")
	}
	for i, n := range t.Nodes {
		if _, err := cluster.ParsePeer(n.RPC); err != nil {
			return fmt.Errorf("node %d: rpc: %w", i+1, err)
		}
	}
	if zf := t.ZoneFailure; zf != nil && (zf.Down == "" || zf.Up == "") {
		return errors.New("zone_failure: give both down and up")
	}
	if err := t.checkS3(); err != nil {
		return err
	}
	return t.readSecret()
}

// checkS3 checks the [s3] table and the nodes' endpoints, and reads the
// secret key from its file if the table names one.
func (t *Target) checkS3() error {
	s := t.S3
	switch {
	case s == nil:
		return errors.New("no [s3] table: the experiments measure through S3 (bucket, access_key_id, secret_access_key)")
	case s.Bucket == "" || s.AccessKeyID == "":
		return errors.New("[s3]: give bucket and access_key_id")
	case (s.SecretAccessKey == "") == (s.SecretAccessKeyFile == ""):
		return errors.New("[s3]: give secret_access_key or secret_access_key_file (one of them)")
	case !slices.ContainsFunc(t.Nodes, func(n TargetNode) bool { return n.S3 != "" }):
		return errors.New("no [[node]] gives an s3 endpoint")
	}
	if s.Region == "" {
		s.Region = realproc.S3Region
	}
	if s.SecretAccessKeyFile != "" {
		b, err := os.ReadFile(t.rel(s.SecretAccessKeyFile))
		if err != nil {
			return fmt.Errorf("[s3] secret_access_key_file: %w", err)
		}
		s.SecretAccessKey = strings.TrimSpace(string(b))
	}
	return nil
}

// rel resolves a path of the file relative to the file's directory.
func (t *Target) rel(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(t.path), p)
}

func (t *Target) readSecret() error {
	s := t.RPCSecret
	switch {
	case s != "" && t.RPCSecretFile != "":
		return errors.New("give rpc_secret or rpc_secret_file, not both")
	case t.RPCSecretFile != "":
		b, err := os.ReadFile(t.rel(t.RPCSecretFile))
		if err != nil {
			return fmt.Errorf("rpc_secret_file: %w", err)
		}
		s = string(b)
	}
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != secconn.SecretSize {
		return fmt.Errorf("rpc_secret: want %d hexadecimal characters", 2*secconn.SecretSize)
	}
	copy(t.secret[:], b)
	return nil
}

// Describe is what meta.json records of the target: never a secret.
func (t *Target) Describe() map[string]any {
	rpc, s3 := make([]string, len(t.Nodes)), make([]string, len(t.Nodes))
	for i, n := range t.Nodes {
		rpc[i], s3[i] = n.RPC, n.S3
	}
	return map[string]any{"file": t.path, "rpc": rpc, "s3": s3, "bucket": t.S3.Bucket, "access_key_id": t.S3.AccessKeyID,
		"rtt_ms": ms(t.RTT), "jitter_ms": ms(t.Jitter), "intra_zone_rtt_ms": ms(t.IntraZoneRTT),
		"zone_failure_commands": t.ZoneFailure != nil, "allow_layout_changes": t.AllowLayoutChanges}
}

// access is the S3 access the target file gives.
func (t *Target) access() S3Access {
	a := S3Access{KeyID: t.S3.AccessKeyID, Secret: t.S3.SecretAccessKey, Region: t.S3.Region, Bucket: t.S3.Bucket}
	for _, n := range t.Nodes {
		a.Endpoints = append(a.Endpoints, n.S3)
	}
	return a
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// TargetCluster is a Cluster of a deployed cluster: requests only.
type TargetCluster struct {
	*rpcCluster
	T *Target
}

var _ Cluster = (*TargetCluster)(nil)

// openTarget connects to the target's nodes and reads their zones and
// roles from the layout of the first one. With zone_failure commands it
// returns a cluster that also implements ZoneFaults.
func openTarget(ctx context.Context, t *Target) (Cluster, error) {
	nodes, targets := make([]Node, len(t.Nodes)), make([]string, len(t.Nodes))
	for i, n := range t.Nodes {
		p, _ := cluster.ParsePeer(n.RPC)
		nodes[i], targets[i] = Node{ID: p.ID}, n.RPC
	}
	c := &TargetCluster{rpcCluster: newRPCCluster(nodes, targets, t.secret, t.access()), T: t}
	h, err := c.Admin(0).Layout(ctx)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("target: read the layout from %s: %w", t.Nodes[0].RPC, err)
	}
	for i := range c.nodes {
		role, ok := h.Current().Role(c.nodes[i].ID)
		c.nodes[i].Zone, c.nodes[i].Spare = role.Zone, !ok || role.Gateway
	}
	if t.ZoneFailure != nil {
		return &targetFaults{c}, nil
	}
	return c, nil
}

// Close disconnects; the cluster keeps running.
func (c *TargetCluster) Close() error {
	c.closeClients()
	return nil
}

// targetFaults is a target whose file gives zone_failure commands.
type targetFaults struct{ *TargetCluster }

var _ ZoneFaults = targetFaults{}

// ZoneDown runs the file's down command for zone.
func (c targetFaults) ZoneDown(ctx context.Context, zone string) error {
	return runCommand(ctx, c.T.ZoneFailure.Down, zone)
}

// ZoneUp runs the file's up command for zone.
func (c targetFaults) ZoneUp(ctx context.Context, zone string) error {
	return runCommand(ctx, c.T.ZoneFailure.Up, zone)
}

func runCommand(ctx context.Context, cmd, zone string) error {
	line := strings.ReplaceAll(cmd, "{zone}", zone)
	out, err := exec.CommandContext(ctx, "sh", "-c", line).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", line, err, strings.TrimSpace(string(out)))
	}
	return nil
}
