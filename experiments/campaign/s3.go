package campaign

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3http"
)

// The workloads that go through the S3 API: every request is built and
// signed by s3client in the client's task and served by the node's HTTP
// handler (node/s3http), which checks its SigV4 signature and parses it as
// a real node does.
const (
	// WorkloadS3 is the register workload on objects: puts of bodies from
	// a few bytes to several blocks (some as multipart uploads), GETs that
	// check the body, HEADs, deletes.
	WorkloadS3 = "s3"
	// WorkloadS3List is the set workload on a prefix: puts, deletes and
	// ListObjectsV2 pages.
	WorkloadS3List = "s3-list"
)

// The access key and bucket of the S3 workloads.
const (
	s3KeyID  = "GK000000000000000000000001"
	s3Secret = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7"
	s3Bucket = "campaign"
)

// viaS3 reports whether the workload goes through the S3 API.
func (sc Scenario) viaS3() bool { return sc.Workload == WorkloadS3 || sc.Workload == WorkloadS3List }

// onObjects reports whether the workload stores objects (through the S3
// API or the object service), in the workload's bucket.
func (sc Scenario) onObjects() bool {
	return sc.viaS3() || sc.Workload == WorkloadObject || sc.Workload == WorkloadObjectList
}

// isSet reports whether the workload is a set workload.
func (sc Scenario) isSet() bool {
	return sc.Workload == WorkloadSet || sc.Workload == WorkloadS3List || sc.Workload == WorkloadObjectList
}

// setupS3 creates the workload's access key and bucket through node 0's
// object service, before any client starts.
func (r *run) setupS3() error {
	var err error
	done := false
	r.w.Go("s3-setup", func(ctx context.Context) {
		defer func() { done = true }()
		o := r.c.Node(0).Objects()
		if _, err = o.ImportKey(ctx, s3KeyID, s3Secret, "campaign"); err != nil {
			return
		}
		if err = o.SetAllowCreateBucket(ctx, s3KeyID, true); err != nil {
			return
		}
		_, err = o.CreateBucket(ctx, s3Bucket, s3KeyID)
	})
	if werr := r.w.RunUntil(func() bool { return done }, time.Minute); werr != nil {
		return werr
	}
	if err != nil {
		return fmt.Errorf("s3 setup: %w", err)
	}
	return nil
}

// s3Client returns an S3 client of node i, signing with that node's
// clock.
func (r *run) s3Client(i int) *s3client.Client {
	h := s3client.Handler{H: func() http.Handler {
		n := r.c.Node(i)
		if n == nil || !r.w.Up(r.c.IDs[i]) {
			return nil
		}
		return s3http.New(n.S3(), nil)
	}}
	return s3client.New(h, "http://"+string(r.c.IDs[i])+":3900", s3KeyID, s3Secret, s3.DefaultRegion,
		r.w.Env(r.c.IDs[i]).Clock.Now)
}

// registers returns a client of node i for the register workloads.
func (r *run) registers(i int) workload.Registers {
	switch {
	case r.sc.viaS3():
		return &s3client.Objects{C: r.s3Client(i), Bucket: s3Bucket}
	case r.sc.onObjects():
		return &objectRegisters{N: r.c.NodeFunc(i)}
	}
	return r.client(i)
}

// set returns a client of node i for the set workloads.
func (r *run) set(i int) workload.Set {
	switch {
	case r.sc.viaS3():
		return s3client.Set{C: r.s3Client(i), Bucket: s3Bucket}
	case r.sc.onObjects():
		return objectSet{N: r.c.NodeFunc(i)}
	}
	return r.client(i)
}

// s3Copy returns the canonical encoding of node id's replica of the
// object row of key k in the workload's bucket, or nil.
func (r *run) s3Copy(idx int, k simcluster.Key) ([]byte, error) {
	o := r.c.Node(idx).Objects()
	b, err := o.ResolveBucket(s3Bucket, "")
	if err != nil {
		return nil, err
	}
	e, ok, err := o.Tables().Objects.LocalGet(b[:], []byte(r.objectKey(k)))
	if err != nil || !ok {
		return nil, err
	}
	return e.Encode(nil), nil
}

// objectKey is the object key of a workload key.
func (r *run) objectKey(k simcluster.Key) string { return k.String() }

// s3Replicas returns the nodes that hold the workload bucket's object
// rows, as node first sees them.
func (r *run) s3Replicas(first int) []int {
	o := r.c.Node(first).Objects()
	b, err := o.ResolveBucket(s3Bucket, "")
	if err != nil {
		return nil
	}
	var out []int
	for _, id := range o.Tables().Replicas(b[:]) {
		out = append(out, r.c.Index(id))
	}
	return out
}
