package lab

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/secconn"
)

// clientTimeout bounds each request of a client over the RPC mesh.
const clientTimeout = 10 * time.Second

// rpcCluster is the part of a Cluster of real processes that both real and
// target worlds share: nodes reached over the RPC mesh with the cluster
// secret, clients on real time.
type rpcCluster struct {
	nodes   []Node
	targets []string
	secret  [secconn.SecretSize]byte
	env     workload.Env
	cancel  context.CancelFunc
	start   time.Time

	mu      sync.Mutex
	clients []*daemon.Client // every client handed out, closed by Close
	admins  map[int]*daemon.Client
}

func newRPCCluster(nodes []Node, targets []string, secret [secconn.SecretSize]byte) *rpcCluster {
	ctx, cancel := context.WithCancel(context.Background())
	return &rpcCluster{nodes: nodes, targets: targets, secret: secret, cancel: cancel, start: time.Now(),
		env: workload.Env{Clock: host.NewClock(), Tasks: host.NewTasks(ctx)}, admins: map[int]*daemon.Client{}}
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

// Client returns a new client over the admin RPC of node i. A target that
// cannot be parsed gives a client whose every request fails.
func (c *rpcCluster) Client(i int) endpoint.Client {
	cl, err := c.dial(i)
	if err != nil {
		return failing{err}
	}
	return endpoint.Debug{T: workload.Admin{A: cl.Admin}, Via: "admin RPC"}
}

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
