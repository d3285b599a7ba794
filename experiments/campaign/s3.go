package campaign

import (
	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
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

// s3Key is the access key of the S3 workloads.
var s3Key = simcluster.S3Key{ID: s3KeyID, Secret: s3Secret, Name: "campaign"}

// setupS3 creates the workload's access key and bucket, before any client
// starts.
func (r *run) setupS3() error { return r.c.SetupS3(s3Key, s3Bucket) }

// s3Client returns an S3 client of node i, signing with that node's
// clock.
func (r *run) s3Client(i int) *s3client.Client { return r.c.S3Client(i, s3Key) }

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
