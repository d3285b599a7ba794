package lab

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host/secconn"
)

// Target is a deployed cluster named by a target file (TOML):
//
//	rpc_secret = "<64 hex digits>"      # or rpc_secret_file = "path"
//	rtt = "100ms"                       # optional: the links, for the
//	jitter = "20ms"                     # simulator side of fidelity
//	allow_layout_changes = false        # rebalance may stage and apply
//
//	[[node]]
//	rpc = "<node id>@host:3901"         # one per node, the first is the client's
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
	AllowLayoutChanges bool          `toml:"allow_layout_changes"`
	Nodes              []TargetNode  `toml:"node"`
	ZoneFailure        *Commands     `toml:"zone_failure"`

	path   string
	secret [secconn.SecretSize]byte
}

// TargetNode is one node of a target.
type TargetNode struct {
	RPC string `toml:"rpc"` // "<node id>@host:port"
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
	return t.readSecret()
}

func (t *Target) readSecret() error {
	s := t.RPCSecret
	switch {
	case s != "" && t.RPCSecretFile != "":
		return errors.New("give rpc_secret or rpc_secret_file, not both")
	case t.RPCSecretFile != "":
		p := t.RPCSecretFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(t.path), p)
		}
		b, err := os.ReadFile(p)
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

// Describe is what meta.json records of the target: never the secret.
func (t *Target) Describe() map[string]any {
	rpc := make([]string, len(t.Nodes))
	for i, n := range t.Nodes {
		rpc[i] = n.RPC
	}
	return map[string]any{"file": t.path, "rpc": rpc, "rtt_ms": ms(t.RTT), "jitter_ms": ms(t.Jitter),
		"zone_failure_commands": t.ZoneFailure != nil, "allow_layout_changes": t.AllowLayoutChanges}
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
	c := &TargetCluster{rpcCluster: newRPCCluster(nodes, targets, t.secret), T: t}
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
