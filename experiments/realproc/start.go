package realproc

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
)

// Cluster is a running cluster of `garage server` processes on loopback,
// started by Start for an experiment to send requests to, to kill and
// restart nodes of, and to stop with Close.
type Cluster struct {
	c       *procCluster
	cleanup func()
	dir     string
	bucket  string
	key     S3Key
}

// Start starts o.Nodes servers (binary o.Garage) in o.Dir or a temporary
// directory, shaped by o.RTT and o.Jitter, lays every node but the
// o.Spares last ones out over o.Zones zones as version 1, waits until
// every node has finished the transition to it, and creates o.Bucket with
// an access key o.KeyName that may use it (if o.Bucket is set; give the
// nodes an S3 API with o.S3). The workload, nemesis and output fields of
// o are not used. Every process is killed if Start fails.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	if o.Garage == "" {
		return nil, errors.New("no garage binary given (build one with go build -o garage ./cmd/garage)")
	}
	if o.Spares < 0 || o.Spares >= o.Nodes {
		return nil, fmt.Errorf("%d spares of %d nodes: want at least one node with a role", o.Spares, o.Nodes)
	}
	dir, cleanup, err := realDir(o)
	if err != nil {
		return nil, err
	}
	c, err := newProcCluster(o, o.Garage, dir)
	if err == nil {
		err = bootProcs(ctx, o, c)
	}
	var key S3Key
	if err == nil && o.Bucket != "" {
		key, err = c.createBucket(ctx, o.Bucket, o.KeyName)
	}
	if err != nil {
		if c != nil {
			c.close()
		}
		cleanup()
		return nil, err
	}
	return &Cluster{c: c, cleanup: cleanup, dir: dir, bucket: o.Bucket, key: key}, nil
}

// Len returns the number of nodes.
func (c *Cluster) Len() int { return len(c.c.procs) }

// ID returns node i's id.
func (c *Cluster) ID(i int) rt.NodeID { return c.c.procs[i].id }

// Zone returns node i's zone (that of its role, or of its future role for
// a spare).
func (c *Cluster) Zone(i int) string { return c.c.procs[i].zone }

// Target returns node i's RPC target, "<id>@127.0.0.1:port".
func (c *Cluster) Target(i int) string { return c.c.procs[i].target() }

// S3 returns the URL of node i's S3 API ("" without one).
func (c *Cluster) S3(i int) string { return daemon.EndpointURL(c.c.procs[i].s3Addr) }

// Bucket returns the bucket Start created and the access key that may use
// it ("" and a zero key if none).
func (c *Cluster) Bucket() (string, S3Key) { return c.bucket, c.key }

// SecretHex returns the cluster's rpc_secret in hexadecimal.
func (c *Cluster) SecretHex() string { return hex.EncodeToString(c.c.secret[:]) }

// Secret returns the cluster's rpc_secret.
func (c *Cluster) Secret() [secconn.SecretSize]byte { return c.c.secret }

// Dial returns a new admin client of node i, each call bounded by
// timeout; the caller closes it.
func (c *Cluster) Dial(i int, timeout time.Duration) (*daemon.Client, error) {
	return c.c.client(i, timeout)
}

// Kill sends SIGKILL to node i and reaps it (nothing if it is down).
func (c *Cluster) Kill(i int) { c.c.procs[i].kill() }

// Restart starts node i again over its directory; it does not wait for
// it to answer.
func (c *Cluster) Restart(i int) error { return c.c.procs[i].start() }

// Running reports whether node i's process runs.
func (c *Cluster) Running(i int) bool { return c.c.procs[i].running() }

// WaitMesh waits until every node sees every node up, or limit passes.
func (c *Cluster) WaitMesh(ctx context.Context, limit time.Duration) error {
	return c.c.waitMesh(ctx, limit)
}

// Dir returns the directory of the nodes.
func (c *Cluster) Dir() string { return c.dir }

// Close stops every server cleanly (SIGTERM, then SIGKILL after a while),
// releases the admin clients and removes the directory unless KeepDir.
func (c *Cluster) Close() error {
	err := stopAll(c.c.procs)
	c.c.close()
	c.cleanup()
	return err
}
