package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
)

// conformNet is the network of the conformance clusters: 1 ms one way
// and 100 MB/s links, so that a 1 MiB message occupies its link for about
// 10 ms and priorities order the link queues.
func conformNet() *netem.Model {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), time.Millisecond)
	m.SetBandwidth(netem.AllLinks(), 100e6)
	return m
}

// newConformCluster builds a world of n idle nodes for the rttest world
// suites; wrap, if not nil, replaces each node's Env (a planted
// divergence).
func newConformCluster(t *testing.T, n int, wrap func(w *World, env rt.Env) rt.Env) *rttest.Cluster {
	w := New(Config{Seed: 1, Net: conformNet()})
	t.Cleanup(w.Close)
	c := &rttest.Cluster{}
	for i := range n {
		id := rt.NodeID(fmt.Sprintf("n%d", i+1))
		w.AddNode(id, "z1", func(rt.Env) {})
		env := w.Env(id)
		if wrap != nil {
			env = wrap(w, env)
		}
		c.Envs = append(c.Envs, env)
	}
	must(t, w.RunFor(0))
	c.Run = func(body func(ctx context.Context)) {
		c.Envs[0].Tasks.Spawn("suite", body)
		if err := w.Run(); err != nil {
			t.Errorf("world: %v", err)
		}
	}
	c.Stop = func(i int) { w.Crash(c.Envs[i].ID) }
	c.InTask = func() bool { return w.cur != nil }
	return c
}

func simCluster(t *testing.T, n int) *rttest.Cluster { return newConformCluster(t, n, nil) }

// TestConformance runs the rttest world suites on the simulator's ports.
func TestConformance(t *testing.T) { runWorldSuites(t, simCluster) }
