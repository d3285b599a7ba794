package simcluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3http"
)

// S3Key is an access key of the cluster's S3 API: id, secret and name.
type S3Key struct{ ID, Secret, Name string }

// SetupS3 imports key (which may then create buckets) and creates bucket,
// owned by it, through node 0's object service, in a world task; it
// returns once done. It must be called between runs, not from a task.
func (c *Cluster) SetupS3(key S3Key, bucket string) error {
	var err error
	done := false
	c.W.Go("s3-setup", func(ctx context.Context) {
		defer func() { done = true }()
		o := c.Node(0).Objects()
		if _, err = o.ImportKey(ctx, key.ID, key.Secret, key.Name); err != nil {
			return
		}
		if err = o.SetAllowCreateBucket(ctx, key.ID, true); err != nil {
			return
		}
		_, err = o.CreateBucket(ctx, bucket, key.ID)
	})
	if werr := c.W.RunUntil(func() bool { return done }, time.Minute); werr != nil {
		return werr
	}
	if err != nil {
		return fmt.Errorf("s3 setup: %w", err)
	}
	return nil
}

// S3Client returns an S3 client of node i signing with key and node i's
// clock: each request is served, in the calling task, by the HTTP handler
// of node i's current incarnation (s3client.ErrNoHandler while it is
// down). Use it from world tasks.
func (c *Cluster) S3Client(i int, key S3Key) *s3client.Client {
	h := s3client.Handler{H: func() http.Handler {
		n := c.Node(i)
		if n == nil || !c.W.Up(c.IDs[i]) {
			return nil
		}
		return s3http.New(n.S3(), nil)
	}}
	return s3client.New(h, "http://"+string(c.IDs[i])+":3900", key.ID, key.Secret, s3.DefaultRegion,
		c.W.Env(c.IDs[i]).Clock.Now)
}

// ObjectCopies reads, from a world task, each replica's copy of the
// object row of every key of bucket, the replicas being the nodes that
// hold the bucket's rows as node first sees them: the "partition" of the
// convergence check is the object key, its "root" the canonical encoding
// of the replica's row (nil if it has none). If first does not know the
// bucket (a node that left the layout may not), there is nothing to
// compare: the digests are empty. A replica that does not know the bucket
// yet is not converged (its copy equals no other).
func (c *Cluster) ObjectCopies(first int, bucket string, keys []string) (checker.Digests, error) {
	d := checker.Digests{}
	b, err := c.Node(first).Objects().ResolveBucket(bucket, "")
	if err != nil {
		return d, nil
	}
	replicas := c.Node(first).Objects().Tables().Replicas(b[:])
	var firstErr error
	for _, k := range keys {
		for _, id := range replicas {
			enc, err := c.objectCopy(c.Index(id), bucket, k)
			if errors.Is(err, object.ErrNoSuchBucket) {
				// The replica's bucket table has not caught up yet (a node
				// that just joined the layout): not converged, not an error.
				enc, err = []byte(unknownBucket), nil
			}
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("copy of %s/%s on %s: %w", bucket, k, id, err)
			}
			putDigest(d, id, k, enc)
		}
	}
	return d, firstErr
}

// unknownBucket stands for the copy of a replica that does not know the
// bucket: it equals no encoded row, so such a replica is not converged.
const unknownBucket = "\x00bucket unknown to this replica"

// objectCopy returns node i's replica of the object row of key in
// bucket, encoded, or nil.
func (c *Cluster) objectCopy(i int, bucket, key string) ([]byte, error) {
	o := c.Node(i).Objects()
	b, err := o.ResolveBucket(bucket, "")
	if err != nil {
		return nil, err
	}
	e, ok, err := o.Tables().Objects.LocalGet(b[:], []byte(key))
	if err != nil || !ok {
		return nil, err
	}
	return e.Encode(nil), nil
}
