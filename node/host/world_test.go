package host

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
)

// newWorldCluster starts n real nodes on loopback for the rttest world
// suites; wrap, if not nil, replaces each node's Env (a planted
// divergence).
func newWorldCluster(t *testing.T, n int, wrap func(env rt.Env) rt.Env) *rttest.Cluster {
	nodes := make([]*Node, n)
	c := &rttest.Cluster{InTask: inTask}
	for i := range nodes {
		ncfg := testConfig("")
		ncfg.WrapConn = func(c net.Conn, _, _ rt.NodeID) net.Conn { return paced{c} }
		nd, err := Start(Config{ID: rt.NodeID(fmt.Sprintf("n%d", i+1)), Net: ncfg})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nd.Close() })
		nodes[i] = nd
		env := nd.Env
		if wrap != nil {
			env = wrap(env)
		}
		c.Envs = append(c.Envs, env)
	}
	for _, a := range nodes {
		for _, b := range nodes {
			if a != b {
				a.Net.AddPeer(b.Net.ID(), b.Net.Addr())
			}
		}
	}
	c.Run = func(body func(ctx context.Context)) { runBody(t, nodes[0], body) }
	var stops [8]sync.Once
	c.Stop = func(i int) { stops[i].Do(func() { nodes[i].Close() }) }
	return c
}

// pacedRate is the bandwidth of the world clusters' links, as in the
// simulator's conformance clusters: 100 MB/s.
const pacedRate = 100e6

// paced is a connection whose writes take their size over pacedRate of
// real time, as on a link of finite bandwidth: the backlog then builds in
// the Net's send queue, where priorities order it, instead of vanishing
// into the kernel at loopback speed.
type paced struct{ net.Conn }

func (p paced) Write(b []byte) (int, error) {
	time.Sleep(time.Duration(float64(len(b)) / pacedRate * float64(time.Second)))
	return p.Conn.Write(b)
}

// runBody runs body as a task of nd and waits for it, up to a minute.
func runBody(t *testing.T, nd *Node, body func(ctx context.Context)) {
	done := make(chan struct{})
	nd.Tasks.Spawn("suite", func(ctx context.Context) {
		defer close(done)
		body(ctx)
	})
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Errorf("suite body still running after a minute")
	}
}

// taskCreators are the functions whose goroutines run node code as tasks:
// Tasks.Spawn, and the Net's handler goroutines.
var taskCreators = []string{
	"github.com/gogarage/garage/node/host.(*Tasks).Spawn",
	"github.com/gogarage/garage/node/host.(*conn).serve",
	"github.com/gogarage/garage/node/host.(*Net).goTask",
}

// inTask reports whether the calling goroutine is a task of a node: one
// of the task pool (its stack goes through taskLoop) or one started by a
// task creator, as its stack's "created by" line tells.
func inTask() bool {
	buf := make([]byte, 64<<10)
	st := string(buf[:runtime.Stack(buf, false)])
	if strings.Contains(st, "\ngithub.com/gogarage/garage/node/host.taskLoop(") {
		return true
	}
	i := strings.LastIndex(st, "\ncreated by ")
	if i < 0 {
		return false
	}
	creator := st[i+len("\ncreated by "):]
	for _, c := range taskCreators {
		if strings.HasPrefix(creator, c+" ") || strings.HasPrefix(creator, c+".") {
			return true
		}
	}
	return false
}

func worldCluster(t *testing.T, n int) *rttest.Cluster { return newWorldCluster(t, n, nil) }

// TestWorld runs the rttest world suites on the real ports.
func TestWorld(t *testing.T) { runWorldSuites(t, worldCluster) }
