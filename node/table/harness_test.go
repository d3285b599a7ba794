package table

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

var long = flag.Bool("long", false, "run the long sweeps (more seeds)")

// row is the test entry: a last-writer-wins string under (PK, SK); the
// empty string is a tombstone.
type row struct {
	PK, SK string
	V      crdt.LWW[crdt.String]
}

func mkRow(pk, sk string, ts uint64, v string) row {
	return row{PK: pk, SK: sk, V: crdt.NewLWW(ts, crdt.String(v))}
}

func (r row) PartitionKey() []byte { return []byte(r.PK) }
func (r row) SortKey() []byte      { return []byte(r.SK) }
func (r row) Val() string          { return string(r.V.Value()) }

func (r row) Merge(o row) row { r.V = r.V.Merge(o.V); return r }

func (r row) Encode(b []byte) []byte {
	b = crdt.String(r.PK).Encode(b)
	b = crdt.String(r.SK).Encode(b)
	return r.V.Encode(b)
}

func (row) Decode(b []byte) (row, []byte, error) {
	pk, b, err := crdt.String("").Decode(b)
	if err != nil {
		return row{}, nil, err
	}
	sk, b, err := crdt.String("").Decode(b)
	if err != nil {
		return row{}, nil, err
	}
	v, b, err := crdt.LWW[crdt.String]{}.Decode(b)
	return row{PK: string(pk), SK: string(sk), V: v}, b, err
}

func rowSchema() Spec[row] {
	return Spec[row]{Table: "rows", Tombstone: func(r row) bool { return r.V.Value() == "" }}
}

// cluster is a simulated cluster running one table per node over a Static
// layout: n storage nodes n1…nN over zones z1…z3, RF 3.
type cluster struct {
	t    testing.TB
	w    *sim.World
	ids  []rt.NodeID
	st   *Static
	tabs map[rt.NodeID]*Table[row]
}

type clusterOpts struct {
	seed    uint64
	nodes   int // storage nodes in version 1 (the first ones)
	extra   int // nodes added to the world without a role
	mode    Mode
	cfg     Config
	schema  Schema[row]
	partBit int
	// wrap, if set, wraps each node's layout.
	wrap func(st *Static, l Layout) Layout
}

func newCluster(t testing.TB, o clusterOpts) *cluster {
	t.Helper()
	w := sim.New(sim.Config{Seed: o.seed, Scenario: t.Name()})
	t.Cleanup(w.Close)
	return newClusterIn(t, w, o)
}

// newClusterIn builds the cluster in w, which the caller closes.
func newClusterIn(t testing.TB, w *sim.World, o clusterOpts) *cluster {
	t.Helper()
	if o.schema == nil {
		o.schema = rowSchema()
	}
	c := &cluster{t: t, w: w, tabs: map[rt.NodeID]*Table[row]{}}
	if o.partBit == 0 {
		o.partBit = layout.DefaultPartitionBits
	}
	h, err := layout.NewHistory(3, o.partBit)
	if err != nil {
		t.Fatal(err)
	}
	for i := range o.nodes + o.extra {
		c.ids = append(c.ids, rt.NodeID(fmt.Sprintf("n%d", i+1)))
	}
	for _, id := range c.ids[:o.nodes] {
		must(t, h.Assign(id, layout.StorageRole(c.zone(id), 1e12), 1))
	}
	if _, err := h.Apply(1, 2); err != nil {
		t.Fatal(err)
	}
	c.st = NewStatic(h, o.mode)
	if o.cfg.PartitionBits == 0 {
		o.cfg.PartitionBits = o.partBit
	}
	for _, id := range c.ids {
		lay := c.st.For(id)
		if o.wrap != nil {
			lay = o.wrap(c.st, lay)
		}
		c.w.AddNode(id, c.zone(id), func(env rt.Env) { c.tabs[id] = Open(env, o.schema, lay, o.cfg) })
	}
	must(t, c.w.RunUntil(func() bool { return len(c.tabs) == len(c.ids) }, time.Second))
	return c
}

func (c *cluster) zone(id rt.NodeID) string {
	var n int
	fmt.Sscanf(string(id), "n%d", &n)
	return fmt.Sprintf("z%d", (n-1)%3+1)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// do runs fn as a world task and the world until fn returns (at most one
// virtual minute), and returns fn's error.
func (c *cluster) do(fn func(ctx context.Context) error) error {
	done, ferr := false, error(nil)
	c.w.Go("client", func(ctx context.Context) { ferr, done = fn(ctx), true })
	if err := c.w.RunUntil(func() bool { return done }, time.Minute); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return ferr
}

// replicas returns the nodes of key pk's partition in the current layout.
func (c *cluster) replicas(pk string) []rt.NodeID {
	return c.st.For("").Sharding().PartOf(blake(pk)).Sets[0]
}

func blake(pk string) [32]byte { return [32]byte(Key([]byte(pk), nil)) }

// converged reports whether every partition's nodes (in every live
// version) have equal Merkle roots and empty todo queues.
func (c *cluster) converged() bool {
	sh := c.st.For("").Sharding()
	roots := map[rt.NodeID][]byte{}
	for _, id := range c.ids {
		if !c.w.Up(id) {
			return false
		}
		if n, err := c.tabs[id].Todo(); err != nil || n > 0 {
			return false
		}
		rs, err := c.tabs[id].Roots()
		if err != nil {
			return false
		}
		for _, r := range rs {
			roots[id] = append(roots[id], r[:]...)
		}
	}
	for p, part := range sh.Parts {
		var want []byte
		for i, id := range part.Nodes() {
			got := roots[id][p*32 : p*32+32]
			if i > 0 && !bytes.Equal(got, want) {
				return false
			}
			want = got
		}
	}
	return true
}

// localCount returns how many entries node id stores.
func (c *cluster) localCount(id rt.NodeID) int {
	n := 0
	err := c.w.Env(id).KV.View(func(tx rt.ReadTx) error {
		return tx.Scan("rows", nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	must(c.t, err)
	return n
}

// get reads (pk, sk) through node id.
func (c *cluster) get(id rt.NodeID, pk, sk string) (row, bool, error) {
	var r row
	var ok bool
	err := c.do(func(ctx context.Context) error {
		var err error
		r, ok, err = c.tabs[id].Get(ctx, []byte(pk), []byte(sk))
		return err
	})
	return r, ok, err
}

// insert writes rows through node id.
func (c *cluster) insert(id rt.NodeID, rows ...row) error {
	return c.do(func(ctx context.Context) error { return c.tabs[id].InsertMany(ctx, rows) })
}

var errStale = errors.New("stale read")

func node(id string) rt.NodeID { return rt.NodeID(id) }
