package simcluster

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/rt"
)

// Key is one entry of the debug table: partition key and sort key.
type Key struct{ PK, SK string }

// String is "pk", or "pk/sk" when there is a sort key.
func (k Key) String() string {
	if k.SK == "" {
		return k.PK
	}
	return k.PK + "/" + k.SK
}

// Digests reads, in a world task, each replica's copy of every key, the
// replicas being the nodes of the key's partition in the current layout
// version of the first node up: the "partition" of the convergence check
// is the key, its "root" the encoding of the replica's copy. A replica
// that is down reads as its last incarnation's disk. It must be called
// between runs, not from a task.
func (c *Cluster) Digests(keys []Key) (checker.Digests, error) {
	var d checker.Digests
	var firstErr error
	done := false
	c.W.Go("digests", func(context.Context) {
		defer func() { done = true }()
		d, firstErr = c.CopiesOf(keys)
	})
	if err := c.W.RunUntil(func() bool { return done }, time.Second); err != nil {
		return nil, err
	}
	return d, firstErr
}

// CopiesOf is Digests read from a world task (it takes no virtual time).
func (c *Cluster) CopiesOf(keys []Key) (checker.Digests, error) {
	d := checker.Digests{}
	first := c.FirstUp()
	if first < 0 {
		return d, fmt.Errorf("no node up to read the layout from")
	}
	h := c.Node(first).Cluster().History()
	var firstErr error
	for _, k := range keys {
		for _, id := range h.Current().NodesOf(h.PartitionOf(cluster.KeyHash([]byte(k.PK)))) {
			b, err := c.Node(c.Index(id)).KV().LocalCopy(k.PK, k.SK)
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("digest of %s on %s: %w", k, id, err)
			}
			putDigest(d, id, k.String(), b)
		}
	}
	return d, firstErr
}

func putDigest(d checker.Digests, id rt.NodeID, k string, b []byte) {
	if d[string(id)] == nil {
		d[string(id)] = map[string][]byte{}
	}
	d[string(id)][k] = b
}
