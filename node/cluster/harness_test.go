package cluster

import (
	"context"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

var long = flag.Bool("long", false, "run the long simulations (many seeds)")

const gb = 1_000_000_000

// harness is a simulated cluster of nodes n1…nN spread over dc1…dc3, each
// running a Cluster that knows only n1 as a bootstrap peer.
type harness struct {
	t   testing.TB
	w   *sim.World
	ids []rt.NodeID
	cs  map[rt.NodeID]*Cluster
	cfg Config
	// hook, if set, runs at the end of every boot (to start tables).
	hook func(env rt.Env, c *Cluster)
	// wrap, if set, changes a node's ports before its boot (to count
	// messages).
	wrap func(env rt.Env) rt.Env
}

func testConfig() Config {
	return Config{
		Bootstrap: []string{"n1@n1:3901"}, Replication: 3,
		PingInterval: time.Second, PingTimeout: 500 * time.Millisecond, FailAfter: 3,
		StatusInterval: 2 * time.Second, RPCTimeout: time.Second,
	}
}

func newHarness(t testing.TB, seed uint64, n int, mod func(*Config)) *harness {
	t.Helper()
	w := sim.New(sim.Config{Seed: seed, Scenario: "cluster/" + t.Name(), Net: netem.ThreeDCs(n)})
	t.Cleanup(w.Close)
	h := &harness{t: t, w: w, cs: map[rt.NodeID]*Cluster{}, cfg: testConfig()}
	if mod != nil {
		mod(&h.cfg)
	}
	for i := 1; i <= n; i++ {
		id := rt.NodeID(fmt.Sprintf("n%d", i))
		h.ids = append(h.ids, id)
		w.AddNode(id, zoneOf(i), h.boot)
	}
	return h
}

func zoneOf(i int) string { return fmt.Sprintf("dc%d", (i-1)%3+1) }

func (h *harness) boot(env rt.Env) {
	if h.wrap != nil {
		env = h.wrap(env)
	}
	cfg := h.cfg
	cfg.Addr = string(env.ID) + ":3901"
	cfg.Hostname = "host-" + string(env.ID)
	c, err := New(env, cfg)
	if err != nil {
		panic(err)
	}
	h.cs[env.ID] = c
	if h.hook != nil {
		h.hook(env, c)
	}
}

// do runs fn in a world task and runs the world until it returned.
func (h *harness) do(fn func(ctx context.Context)) {
	h.t.Helper()
	done := false
	h.w.Go("test", func(ctx context.Context) { fn(ctx); done = true })
	if err := h.w.RunUntil(func() bool { return done }, time.Minute); err != nil {
		h.t.Fatal(err)
	}
}

// until runs the world until cond holds, failing after deadline.
func (h *harness) until(what string, deadline time.Duration, cond func() bool) {
	h.t.Helper()
	if err := h.w.RunUntil(cond, deadline); err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

func (h *harness) run(d time.Duration) {
	h.t.Helper()
	if err := h.w.RunFor(d); err != nil {
		h.t.Fatal(err)
	}
}

// up returns the clusters of the nodes that are up, in id order; nil
// entries are nodes whose boot has not run yet.
func (h *harness) up() []*Cluster {
	var out []*Cluster
	for _, id := range h.ids {
		if h.w.Up(id) {
			out = append(out, h.cs[id])
		}
	}
	return out
}

// booted reports whether every up node has booted.
func (h *harness) booted() bool {
	for _, c := range h.up() {
		if c == nil {
			return false
		}
	}
	return true
}

// crash crashes id and forgets its Cluster; restart boots it again.
func (h *harness) crash(id rt.NodeID) {
	h.w.Crash(id)
	delete(h.cs, id)
}

func (h *harness) restart(id rt.NodeID) {
	delete(h.cs, id)
	h.w.Restart(id)
}

// meshed reports whether every up node sees every other up node up.
func (h *harness) meshed() bool {
	if !h.booted() {
		return false
	}
	up := h.up()
	for _, c := range up {
		if c.upPeerCount() != len(up)-1 {
			return false
		}
	}
	return true
}

// converged reports whether every up node holds the same history.
func (h *harness) converged() bool {
	if !h.booted() {
		return false
	}
	up := h.up()
	for _, c := range up[1:] {
		if c.Digest() != up[0].Digest() {
			return false
		}
	}
	return true
}

// all reports whether cond holds on every up node.
func (h *harness) all(cond func(c *Cluster) bool) bool {
	if !h.booted() {
		return false
	}
	for _, c := range h.up() {
		if !cond(c) {
			return false
		}
	}
	return true
}

// layoutRole returns the storage role of node ni in the tests.
func layoutRole(i int) layout.Role { return layout.StorageRole(zoneOf(i), 100*gb) }

// assignAll stages a storage role for every node on n1 and applies the
// next version, then waits until every node has it.
func (h *harness) assignAll() {
	h.t.Helper()
	c := h.cs["n1"]
	h.do(func(context.Context) {
		for i, id := range h.ids {
			if err := c.StageRole(id, layoutRole(i+1)); err != nil {
				h.t.Error(err)
			}
		}
		if _, err := c.Apply(c.History().Current().Number + 1); err != nil {
			h.t.Error(err)
		}
	})
	want := c.History().Current().Number
	h.until("layout everywhere", time.Minute, func() bool {
		return h.all(func(c *Cluster) bool { return c.layoutSnapshot().Current().Number == want })
	})
}
