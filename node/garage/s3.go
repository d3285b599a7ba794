package garage

import (
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/objstore"
)

// openS3 builds the node's S3 service over its object service and starts
// its daily lifecycle worker.
func (n *Node) openS3() {
	n.s3store = objstore.New(n.objects)
	n.s3 = s3.New(n.env, n.s3store, n.cfg.S3)
	n.s3.StartLifecycle(n.env.Tasks)
}

// S3 returns the node's S3 service: what the HTTP adapter (node/s3http)
// serves, in the daemon and in the simulator alike.
func (n *Node) S3() *s3.Service { return n.s3 }

// S3Store returns the object service as the S3 layer sees it: what the
// website server (node/web) reads.
func (n *Node) S3Store() s3.Store { return n.s3store }
