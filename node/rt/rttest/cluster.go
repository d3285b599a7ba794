package rttest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Cluster is a few nodes of one world, as a driver builds them for the
// world suites (TestNet, TestTasks, TestClock, TestStarter). The suites use
// nothing but the ports and these hooks, so that both worlds run the same
// test code: the simulator with virtual time, node/host over loopback TCP
// with real time (its waits are kept to a few hundred milliseconds).
type Cluster struct {
	// Envs are the nodes' ports; every node can call every other.
	Envs []rt.Env
	// Run runs body as a task of node 0 and returns once it has returned
	// (the simulator also runs its world until idle). body must report
	// failures with t.Errorf, never t.Fatal: it may run on a goroutine of
	// the driver.
	Run func(body func(ctx context.Context))
	// Stop stops node i for good, as a crash or a shutdown would: its
	// tasks end, and calls to it fail with rt.ErrUnreachable or
	// rt.ErrTimeout. It is called from inside Run, never for node 0.
	Stop func(i int)
	// InTask reports whether its caller runs inside a task of a node: a
	// task spawned by rt.Tasks, a handler, or the body of Run. It is the
	// probe of Starter's execution contexts.
	InTask func() bool
}

// NewCluster builds a fresh cluster of n nodes (n >= 1) and registers its
// cleanup with t. Links between distinct nodes must have a finite
// bandwidth in the simulator, so that priorities order its link queues.
type NewCluster func(t *testing.T, n int) *Cluster

// caseFn is one case of a world suite: it runs inside Cluster.Run.
type caseFn func(t *testing.T, c *Cluster, ctx context.Context)

// worldCase names one case and the number of nodes it needs.
type worldCase struct {
	name  string
	nodes int
	fn    caseFn
}

// runCases runs each case as a subtest on a fresh cluster.
func runCases(t *testing.T, newCluster NewCluster, cases []worldCase) {
	for _, wc := range cases {
		t.Run(wc.name, func(t *testing.T) {
			c := newCluster(t, wc.nodes)
			finished := false
			c.Run(func(ctx context.Context) {
				wc.fn(t, c, ctx)
				finished = true
			})
			if !finished && !t.Failed() {
				t.Errorf("case body did not return")
			}
		})
	}
}

// errKind classifies an outcome of rt.Net.Call for comparison across
// worlds: the error kinds the contract names, or "other".
func errKind(err error) string {
	var re *rt.RemoteError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &re):
		return "remote " + re.Endpoint + ": " + re.Msg
	case errors.Is(err, rt.ErrTimeout):
		return "timeout"
	case errors.Is(err, rt.ErrUnreachable):
		return "unreachable"
	case errors.Is(err, rt.ErrNoHandler):
		return "no handler"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	}
	return "other: " + err.Error()
}

// short is the timeout of calls expected to time out: long enough for a
// loopback round trip on a loaded machine, short enough to keep the host
// suites fast.
const short = 150 * time.Millisecond

// long bounds calls expected to succeed.
const long = 10 * time.Second

// opts returns call options with timeout d at priority p.
func opts(d time.Duration, p rt.Priority) rt.CallOpts { return rt.CallOpts{Timeout: d, Prio: p} }

// handle registers h for endpoint on every node.
func handle(c *Cluster, endpoint string, h func(env rt.Env) rt.Handler) {
	for _, env := range c.Envs {
		env.Net.Handle(endpoint, h(env))
	}
}

// serveBasics registers the endpoints most cases use on every node:
// "echo" (replies with the request), "from" (replies with the caller's
// id), "fail" (fails with "boom: <request>"), "sleep" (sleeps the
// duration named by the request, honouring its context, then replies
// "late").
func serveBasics(c *Cluster) {
	handle(c, "echo", func(rt.Env) rt.Handler {
		return func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) { return req, nil }
	})
	handle(c, "from", func(rt.Env) rt.Handler {
		return func(_ context.Context, from rt.NodeID, _ []byte) ([]byte, error) { return []byte(from), nil }
	})
	handle(c, "fail", func(rt.Env) rt.Handler {
		return func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			return nil, errors.New("boom: " + string(req))
		}
	})
	handle(c, "sleep", func(env rt.Env) rt.Handler {
		return func(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			d, err := time.ParseDuration(string(req))
			if err != nil {
				return nil, err
			}
			if err := env.Clock.Sleep(ctx, d); err != nil {
				return nil, err
			}
			return []byte("late"), nil
		}
	})
}

// counter is a count guarded by an rt.Mutex, shared by tasks; it
// remembers its highest value.
type counter struct {
	mu      rt.Mutex
	n, peak int
}

func newCounter(t rt.Tasks) *counter { return &counter{mu: t.NewMutex()} }

// add adds d and returns the new count.
func (c *counter) add(d int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += d
	c.peak = max(c.peak, c.n)
	return c.n
}

func (c *counter) get() int { return c.add(0) }

// max returns the highest count so far.
func (c *counter) max() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peak
}

// log is an append-only list of strings guarded by an rt.Mutex.
type log struct {
	mu    rt.Mutex
	items []string
}

func newLog(t rt.Tasks) *log { return &log{mu: t.NewMutex()} }

func (l *log) add(s string) {
	l.mu.Lock()
	l.items = append(l.items, s)
	l.mu.Unlock()
}

func (l *log) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.items...)
}

// waitUntil polls cond every millisecond of the node's clock until it
// holds, up to limit; it reports whether it did. It is how a case waits for
// something another node does, in both worlds.
func waitUntil(ctx context.Context, clock rt.Clock, limit time.Duration, cond func() bool) bool {
	for end := clock.Mono() + limit; !cond(); {
		if clock.Mono() > end || clock.Sleep(ctx, time.Millisecond) != nil {
			return cond()
		}
	}
	return true
}
