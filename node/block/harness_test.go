package block

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

const gb = 1_000_000_000

// harness is a simulated cluster of nodes n1…nN over three zones, each
// running a cluster and a block manager over its simulated disk. The
// block_ref table is not there: ref and unref stand in for its hook.
type harness struct {
	t   testing.TB
	w   *sim.World
	ids []rt.NodeID
	cs  map[rt.NodeID]*cluster.Cluster
	ms  map[rt.NodeID]*Manager
	cfg Config
	// refs stands in for the block_ref table's layout handle: a layout
	// transition ends only once the test reported its sync (assign).
	refs map[rt.NodeID]table.Layout
}

func testBlockConfig() Config {
	return Config{BlockSize: 64 << 10, GCDelay: time.Minute, RetryDelay: 5 * time.Second,
		MaxRetryDelay: time.Minute, ReadTimeout: 2 * time.Second, WriteTimeout: 10 * time.Second,
		NewRefDelay: 10 * time.Second, ResyncTranquility: -1, ScrubTranquility: -1}
}

func newHarness(t testing.TB, seed uint64, n int, mod func(*Config)) *harness {
	t.Helper()
	net := netem.ThreeDCs(n)
	net.SetBandwidth(netem.AllLinks(), 125e6)
	w := sim.New(sim.Config{Seed: seed, Scenario: "block/" + t.Name(), Net: net, SyncOnCommit: true})
	t.Cleanup(w.Close)
	h := &harness{t: t, w: w, cs: map[rt.NodeID]*cluster.Cluster{}, ms: map[rt.NodeID]*Manager{},
		cfg: testBlockConfig(), refs: map[rt.NodeID]table.Layout{}}
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
	cfg := cluster.Config{Bootstrap: []string{"n1@n1:3901"}, Replication: 3, Addr: string(env.ID) + ":3901",
		PingInterval: time.Second, PingTimeout: 500 * time.Millisecond, FailAfter: 3,
		StatusInterval: 2 * time.Second, RPCTimeout: time.Second}
	c, err := cluster.New(env, cfg)
	if err != nil {
		panic(err)
	}
	bc := h.cfg
	bc.Dirs = []Dir{{Files: env.Files, Capacity: 1}}
	m, err := New(env, c, bc)
	if err != nil {
		panic(err)
	}
	h.cs[env.ID], h.ms[env.ID], h.refs[env.ID] = c, m, cluster.Sharded(c, table.Consistent)
}

// start runs the world until every node is up and meshed, and applies a
// layout with the first n nodes as storage nodes.
func (h *harness) start(n int) {
	h.t.Helper()
	h.until("mesh", time.Minute, func() bool {
		for _, id := range h.ids {
			if h.cs[id] == nil || len(h.cs[id].Peers()) < len(h.ids)-1 || h.cs[id].UpPeers() < len(h.ids)-1 {
				return false
			}
		}
		return true
	})
	h.assign(nil, h.ids[:n]...)
}

// assign gives the listed nodes storage roles (other nodes keep theirs)
// and applies the next layout version; once every node acked it, it runs
// between (the block_ref table's sync: references reaching the new
// nodes), reports the sync, and waits until the older versions retired.
func (h *harness) assign(between func(), ids ...rt.NodeID) {
	h.t.Helper()
	c := h.cs["n1"]
	h.do(func(context.Context) {
		for _, id := range ids {
			i := int(id[1] - '0')
			if err := c.StageRole(id, layout.StorageRole(zoneOf(i), 100*gb)); err != nil {
				h.t.Error(err)
			}
		}
		if _, err := c.Apply(c.History().Current().Number + 1); err != nil {
			h.t.Error(err)
		}
	})
	want := c.History().Current().Number
	h.until("layout acked", 5*time.Minute, func() bool {
		return h.everyUp(func(id rt.NodeID) bool {
			v, ok := h.cs[id].SyncTarget()
			return ok && v == want
		})
	})
	if between != nil {
		between()
	}
	h.do(func(context.Context) {
		for _, id := range h.ids {
			if h.w.Up(id) {
				h.refs[id].SyncDone(want)
			}
		}
	})
	h.until("older versions retired", 5*time.Minute, func() bool {
		return h.everyUp(func(id rt.NodeID) bool { return !h.cs[id].History().InTransition() })
	})
}

// everyUp reports whether cond holds for every up node.
func (h *harness) everyUp(cond func(id rt.NodeID) bool) bool {
	for _, id := range h.ids {
		if h.w.Up(id) && (h.cs[id] == nil || !cond(id)) {
			return false
		}
	}
	return true
}

// crash crashes node id and forgets its cluster and manager.
func (h *harness) crash(id rt.NodeID) {
	h.w.Crash(id)
	delete(h.cs, id)
	delete(h.ms, id)
}

// restart crashes node id if it is up, boots it again and waits until
// its boot ran.
func (h *harness) restart(id rt.NodeID) {
	h.t.Helper()
	h.crash(id)
	h.w.Restart(id)
	h.until("restarted", time.Minute, func() bool { return h.ms[id] != nil })
}

// do runs fn in a world task and runs the world until it returned.
func (h *harness) do(fn func(ctx context.Context)) {
	h.t.Helper()
	done := false
	h.w.Go("test", func(ctx context.Context) { fn(ctx); done = true })
	if err := h.w.RunUntil(func() bool { return done }, 10*time.Minute); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) until(what string, deadline time.Duration, cond func() bool) {
	h.t.Helper()
	if err := h.w.RunUntil(cond, deadline); err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

// eventually runs the world a virtual second at a time until cond holds,
// for conditions too costly to check at every step.
func (h *harness) eventually(what string, deadline time.Duration, cond func() bool) {
	h.t.Helper()
	for end := h.w.Now() + deadline; !cond(); {
		if h.w.Now() > end {
			h.t.Fatalf("%s: not within %v", what, deadline)
		}
		h.run(time.Second)
	}
}

func (h *harness) run(d time.Duration) {
	h.t.Helper()
	if err := h.w.RunFor(d); err != nil {
		h.t.Fatal(err)
	}
}

// put stores data from node id and returns its hash.
func (h *harness) put(id rt.NodeID, data []byte) Hash {
	h.t.Helper()
	hash := Sum(data)
	h.do(func(ctx context.Context) {
		if err := h.ms[id].Put(ctx, hash, data); err != nil {
			h.t.Errorf("put from %s: %v", id, err)
		}
	})
	return hash
}

// get reads hash from node id.
func (h *harness) get(id rt.NodeID, hash Hash) ([]byte, error) {
	h.t.Helper()
	var data []byte
	var err error
	h.do(func(ctx context.Context) { data, err = h.ms[id].Get(ctx, hash) })
	return data, err
}

// ref adds (delta 1) or removes (-1) a reference to hash on every up node
// of its partition, as the block_ref table's hook does.
func (h *harness) ref(hash Hash, delta int) {
	h.t.Helper()
	h.do(func(context.Context) {
		for _, id := range h.placement(hash) {
			if !h.w.Up(id) {
				continue
			}
			m := h.ms[id]
			err := m.env.KV.Update(func(tx rt.Tx) error {
				if delta > 0 {
					return m.IncRef(tx, hash)
				}
				return m.DecRef(tx, hash)
			})
			if err != nil {
				h.t.Errorf("ref %s on %s: %v", hash, id, err)
			}
		}
	})
}

// placement returns the nodes of hash in every live version.
func (h *harness) placement(hash Hash) []rt.NodeID {
	return h.ms["n1"].peersOfAll(hash)
}

// hasFile reports whether node id holds a file of hash.
func (h *harness) hasFile(id rt.NodeID, hash Hash) bool {
	for _, c := range []bool{false, true} {
		if _, err := h.w.Disk(id).Files().Stat(fileName(hash, c)); err == nil {
			return true
		}
	}
	return false
}

// holders returns the nodes holding a file of hash.
func (h *harness) holders(hash Hash) []rt.NodeID {
	var out []rt.NodeID
	for _, id := range h.ids {
		if h.hasFile(id, hash) {
			out = append(out, id)
		}
	}
	return out
}

// blockData returns n bytes of deterministic, compressible data.
func blockData(seed, n int) []byte {
	b := make([]byte, n)
	x := uint64(seed)*0x9e3779b97f4a7c15 + 1
	for i := range b {
		if i%16 == 0 {
			x = splitmix(x)
		}
		b[i] = byte(x>>(8*(i%8))) & 0x3f
	}
	return b
}

// randomData returns n bytes of deterministic, incompressible data.
func randomData(seed, n int) []byte {
	b := make([]byte, n)
	x := uint64(seed) * 0x9e3779b97f4a7c15
	for i := 0; i < n; i += 8 {
		x = splitmix(x)
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(x >> (8 * j))
		}
	}
	return b
}

// wipe removes every file of node id's disk.
func (h *harness) wipe(id rt.NodeID) {
	h.t.Helper()
	files := h.w.Disk(id).Files()
	names, err := files.List("")
	if err != nil {
		h.t.Fatal(err)
	}
	for _, name := range names {
		if err := files.Remove(name); err != nil {
			h.t.Fatal(err)
		}
	}
}
