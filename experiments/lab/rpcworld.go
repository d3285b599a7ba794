package lab

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/secconn"
)

// clientTimeout bounds each request of a client over the RPC mesh.
const clientTimeout = 10 * time.Second

// S3Access is how clients reach the S3 API of a real or deployed cluster:
// each node's endpoint ("" for a node without one), an access key, the
// region, and the bucket the key may read and write.
type S3Access struct {
	Endpoints      []string
	KeyID, Secret  string
	Region, Bucket string
}

// rpcCluster is the part of a Cluster of real processes that both real and
// target worlds share: nodes reached over HTTP for S3 and over the RPC
// mesh with the cluster secret for administration, clients on real time.
type rpcCluster struct {
	nodes   []Node
	targets []string
	secret  [secconn.SecretSize]byte
	s3      S3Access
	http    *http.Client
	env     workload.Env
	cancel  context.CancelFunc
	start   time.Time

	mu      sync.Mutex
	clients []*daemon.Client // every client handed out, closed by Close
	admins  map[int]*daemon.Client
}

func newRPCCluster(nodes []Node, targets []string, secret [secconn.SecretSize]byte, s3 S3Access) *rpcCluster {
	ctx, cancel := context.WithCancel(context.Background())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // one kept-alive connection per client task
	return &rpcCluster{nodes: nodes, targets: targets, secret: secret, s3: s3, cancel: cancel, start: time.Now(),
		http: &http.Client{Transport: tr, Timeout: clientTimeout},
		env:  workload.Env{Clock: host.NewClock(), Tasks: host.NewTasks(ctx)}, admins: map[int]*daemon.Client{}}
}

// dial returns a new client of node i, remembered for Close.
func (c *rpcCluster) dial(i int) (*daemon.Client, error) {
	cl, err := daemon.Dial(c.targets[i], c.secret)
	if err != nil {
		return nil, err
	}
	cl.SetTimeout(clientTimeout)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clients = append(c.clients, cl)
	return cl, nil
}

// Nodes lists the nodes in the order of their targets.
func (c *rpcCluster) Nodes() []Node { return c.nodes }

// Client returns a new S3 client of node i over HTTP, signing with the
// cluster's access key and the local clock. A node without an S3
// endpoint gives a client whose every request fails.
func (c *rpcCluster) Client(i int) endpoint.Client {
	if i >= len(c.s3.Endpoints) || c.s3.Endpoints[i] == "" {
		return failing{fmt.Errorf("node %d (%s) has no S3 endpoint", i+1, c.nodes[i].ID)}
	}
	cl := s3client.New(c.http, c.s3.Endpoints[i], c.s3.KeyID, c.s3.Secret, c.s3.Region, time.Now)
	return endpoint.S3{C: cl, Via: "HTTP"}
}

// Bucket is the bucket of the cluster's access key.
func (c *rpcCluster) Bucket() string { return c.s3.Bucket }

// Admin returns the admin client of node i, shared by the callers.
func (c *rpcCluster) Admin(i int) *garage.Admin {
	c.mu.Lock()
	cl := c.admins[i]
	c.mu.Unlock()
	if cl != nil {
		return cl.Admin
	}
	cl, err := c.dial(i)
	if err != nil {
		panic(fmt.Sprintf("lab: target %q was parsed when the cluster opened: %v", c.targets[i], err))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.admins[i] = cl
	return cl.Admin
}

// Env is real time.
func (c *rpcCluster) Env() workload.Env { return c.env }

// Run runs fns as goroutines and waits for them, cancelling them after
// limit.
func (c *rpcCluster) Run(limit time.Duration, fns ...func(ctx context.Context)) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(func() { fn(ctx) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("not done within %v", limit)
	}
	return nil
}

// Elapsed is the wall time since the cluster was opened.
func (c *rpcCluster) Elapsed() time.Duration { return time.Since(c.start) }

// closeClients closes every client handed out.
func (c *rpcCluster) closeClients() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range c.clients {
		cl.Close()
	}
	c.clients, c.admins = nil, map[int]*daemon.Client{}
	c.http.CloseIdleConnections()
	c.cancel()
}

// failing is a client whose every request fails with err.
type failing struct{ err error }

func (f failing) ListBuckets(context.Context) error { return f.err }
func (f failing) ListObjects(context.Context, string, int) ([]string, error) {
	return nil, f.err
}
func (f failing) GetObject(context.Context, string, string) ([]byte, bool, error) {
	return nil, false, f.err
}
func (f failing) PutObject(context.Context, string, string, []byte) (uint64, error) {
	return 0, f.err
}
func (f failing) RemoveObject(context.Context, string, string) (uint64, error) {
	return 0, f.err
}
func (f failing) API(endpoint.Name) string { return "unreachable: " + f.err.Error() }
