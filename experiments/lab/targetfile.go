package lab

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gogarage/garage/experiments/realproc"
)

// TargetFile renders the target file of a cluster started by
// realproc.StartCluster (`garage-sim cluster up`) with a bucket and key:
// its nodes' RPC and S3 endpoints, the rpc secret, the access key, and
// the links it was shaped with (rtt ± jitter between zones, loopback
// inside one), layout changes allowed. Experiments then treat it as they
// would a remote cluster.
func TargetFile(info realproc.ClusterInfo, rtt, jitter time.Duration) (string, error) {
	if info.Key == nil || info.Bucket == "" {
		return "", fmt.Errorf("the cluster in %s has no bucket and access key (cluster up --bucket)", info.Dir)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Target of the cluster in %s (garage-sim experiment <name> --target <this file>)\n", info.Dir)
	fmt.Fprintf(&b, "rpc_secret = %q\nrtt = %q\njitter = %q\nintra_zone_rtt = %q\nallow_layout_changes = true\n",
		info.RPCSecret, rtt, jitter, loopbackRTT)
	fmt.Fprintf(&b, "\n[s3]\nbucket = %q\naccess_key_id = %q\nsecret_access_key = %q\nregion = %q\n",
		info.Bucket, info.Key.ID, info.Key.Secret, realproc.S3Region)
	for _, n := range info.Nodes {
		fmt.Fprintf(&b, "\n[[node]]  # %s, zone %s\nrpc = %q\ns3 = %q\n", n.Name, n.Zone, n.RPC, n.S3)
	}
	return b.String(), nil
}

// loopbackRTT is about the round trip of an unshaped loopback link.
const loopbackRTT = 50 * time.Microsecond

// WriteTargetFile writes TargetFile(info, rtt, jitter) to path, readable
// by its owner only (it holds secrets).
func WriteTargetFile(path string, info realproc.ClusterInfo, rtt, jitter time.Duration) error {
	text, err := TargetFile(info, rtt, jitter)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o600)
}
