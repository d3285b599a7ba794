package table

import (
	"context"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// Insert merges e into its replicas: it returns once a write quorum of
// every live layout version of e's partition key holds it.
func (t *Table[E]) Insert(ctx context.Context, e E) error {
	return t.InsertMany(ctx, []E{e})
}

// InsertMany merges every entry into its replicas, sending each node one
// batch (split in RPCs of Config.Batch entries) however many entries and
// layout versions name it. It returns once every entry reached a write
// quorum in every live version of its partition key.
func (t *Table[E]) InsertMany(ctx context.Context, es []E) error {
	_, err := t.insertMany(ctx, es, t.callOpts())
	return err
}

// InsertNewest is Insert that also returns the newest timestamp (the
// schema's Stamp, see Stamper) that the replicas which acknowledged the
// write held for e before merging it: 0 if none held e. Since every write
// quorum meets every other, a coordinator learns this way of every write
// of e acknowledged before this one began: if it stamped e optimistically
// with its clock and the newest reported is not older, it must write again
// at newest + 1 (the LWW rule max(now, newest + 1) in one round trip in
// the common case). It panics if the schema is no Stamper.
func (t *Table[E]) InsertNewest(ctx context.Context, e E) (uint64, error) {
	if _, ok := t.schema.(Stamper[E]); !ok {
		panic(fmt.Sprintf("table %s: InsertNewest on a schema without Stamp", t.schema.Name()))
	}
	return t.insertMany(ctx, []E{e}, t.callOpts())
}

// insertMany runs InsertMany with call options opts and returns the
// greatest stamp reported by the replicas that succeeded before the
// quorum was reached.
func (t *Table[E]) insertMany(ctx context.Context, es []E, opts rt.CallOpts) (uint64, error) {
	defer guard(t.lay)()
	p := t.plan(es)
	if p.noLayout {
		return 0, fmt.Errorf("table %s: insert %d entries: %w", t.schema.Name(), len(es), ErrNoLayout)
	}
	p.selfLast(t.env.ID)
	must := t.mustWrite(p.nodes)
	var shared []byte // the request of the nodes that receive p.batches[0]'s batch
	newest, err := waitSetsStart(ctx, t.env.Tasks, len(p.nodes), p.sets, t.lay.WriteQuorum(),
		func(i int, done func(uint64, error)) {
			var req []byte
			if p.sameBatch(i, 0) {
				if shared == nil {
					shared = t.insertRequest(p.batches[0])
				}
				req = shared
			}
			if len(must) > 0 {
				done = t.mustDone(must, i, done)
			}
			t.startBatches(p.nodes[i], p.batches[i], req, opts, done)
		})
	for _, m := range must {
		if err == nil {
			if err = m.done.Wait(ctx); err == nil && m.err != nil {
				err = fmt.Errorf("node %v: %w", p.nodes[m.i], m.err)
			}
		}
	}
	if err != nil {
		return 0, fmt.Errorf("table %s: insert %d entries: %w", t.schema.Name(), len(es), err)
	}
	return newest, nil
}

// mustDone wraps done of call i to record its outcome in the must calls
// that name it.
func (t *Table[E]) mustDone(must []*mustCall, i int, done func(uint64, error)) func(uint64, error) {
	return func(st uint64, err error) {
		for _, m := range must {
			if m.i == i {
				m.err = err
				m.done.Set()
			}
		}
		done(st, err)
	}
}

// MustWriter is implemented by a Replication whose reads answer from
// fewer nodes than a write quorum is sure to meet, such as full
// replication, which reads from the local node alone: a write waits, on
// top of its quorum, for the nodes MustWrite returns (those among its
// write sets), so that the node that wrote reads its own write.
type MustWriter interface {
	MustWrite() []rt.NodeID
}

// mustCall is a call, by index in a write plan's nodes, that a write
// waits for beyond its quorum; err is set before done.
type mustCall struct {
	i    int
	done rt.Event
	err  error
}

// mustWrite returns the calls to nodes that a write must wait for beyond
// its quorum.
func (t *Table[E]) mustWrite(nodes []rt.NodeID) []*mustCall {
	mw, ok := t.lay.(MustWriter)
	if !ok {
		return nil
	}
	var out []*mustCall
	for _, id := range mw.MustWrite() {
		for i, n := range nodes {
			if n == id {
				out = append(out, &mustCall{i: i, done: t.env.Tasks.NewEvent()})
			}
		}
	}
	return out
}

// guard holds the layout's ack lock, when it has one, until the returned
// function is called: while a write planned under layout version v is in
// flight, this node does not acknowledge a newer version, so reads cannot
// move to a version the write did not reach (Garage's ack lock).
func guard(x any) (release func()) {
	if g, ok := x.(interface{ Guard() func() }); ok {
		return g.Guard()
	}
	return func() {}
}

// writePlan is who receives what in a write: distinct nodes, the encoded
// entries for each, and the node sets (as indexes, deduplicated) that each
// need a write quorum.
type writePlan struct {
	nodes    []rt.NodeID
	batches  [][][]byte
	sets     [][]int
	noLayout bool // some entry has no node to go to
}

func (t *Table[E]) plan(es []E) writePlan {
	if len(es) == 1 {
		return t.planOne(es[0])
	}
	var p writePlan
	index := map[rt.NodeID]int{}
	var last []int // per node, 1 + the index of the last entry added to its batch
	for k, e := range es {
		var sets [][]int
		ws, err := t.writeSets(e.PartitionKey())
		if err != nil {
			p.noLayout = true
			return p
		}
		p.nodes, sets = indexSets(p.nodes, index, ws)
		for len(p.batches) < len(p.nodes) {
			p.batches, last = append(p.batches, nil), append(last, 0)
		}
		enc := crdt.Marshal(e)
		for _, set := range sets {
			p.sets = appendSet(p.sets, set)
			for _, i := range set {
				if last[i] != k+1 {
					last[i] = k + 1
					p.batches[i] = append(p.batches[i], enc)
				}
			}
		}
	}
	return p
}

// planOne is plan for a single entry: every node receives the same
// batch, and one set of distinct nodes (a layout without transition) is
// indexed without a map.
func (t *Table[E]) planOne(e E) writePlan {
	ws, err := t.writeSets(e.PartitionKey())
	if err != nil {
		return writePlan{noLayout: true}
	}
	nodes, sets := indexWriteSets(ws)
	batch := [][]byte{crdt.Marshal(e)}
	batches := make([][][]byte, len(nodes))
	for i := range batches {
		batches[i] = batch
	}
	if len(sets) > 1 { // a transition: two versions may name the same nodes
		var distinct [][]int
		for _, set := range sets {
			distinct = appendSet(distinct, set)
		}
		sets = distinct
	}
	return writePlan{nodes: nodes, batches: batches, sets: sets}
}

// appendSet appends set to sets unless an equal one is there.
func appendSet(sets [][]int, set []int) [][]int {
	if slices.ContainsFunc(sets, func(s []int) bool { return slices.Equal(s, set) }) {
		return sets
	}
	return append(sets, set)
}

// sameBatch reports whether nodes i and j receive the very same batch (as
// every node does in a plan of one entry): they can share its request.
func (p *writePlan) sameBatch(i, j int) bool {
	a, b := p.batches[i], p.batches[j]
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// selfLast moves this node, if the plan names it, to the end of the
// plan's nodes (renumbering the sets): a call to the node itself may run
// inline and block, so it starts after the calls that leave at once. The
// plan's slices are its own: they are reordered in place.
func (p *writePlan) selfLast(self rt.NodeID) {
	i, last := slices.Index(p.nodes, self), len(p.nodes)-1
	if i < 0 || i == last {
		return
	}
	copy(p.nodes[i:], p.nodes[i+1:])
	p.nodes[last] = self
	b := p.batches[i]
	copy(p.batches[i:], p.batches[i+1:])
	p.batches[last] = b
	for _, set := range p.sets {
		for k, j := range set {
			switch {
			case j == i:
				set[k] = last
			case j > i:
				set[k] = j - 1
			}
		}
	}
}

// insertRequest returns the insert RPC's request for encs, or nil if they
// do not fit in one RPC.
func (t *Table[E]) insertRequest(encs [][]byte) []byte {
	if len(encs) > t.opts.Batch {
		return nil
	}
	return appendList(nil, encs)
}

// startBatches sends encoded entries to node to as sendBatches does and
// passes the outcome to done (see rt.Starter): entries that fit in one
// RPC need no task of their own, more go through a task that sends them
// batch after batch. req, if not nil, is insertRequest(encs), shared with
// other calls (requests are never modified).
func (t *Table[E]) startBatches(to rt.NodeID, encs [][]byte, req []byte, opts rt.CallOpts, done func(uint64, error)) {
	if len(encs) > t.opts.Batch {
		t.env.Tasks.Spawn("table-send-batches", func(ctx context.Context) { done(t.sendBatches(ctx, to, encs, opts)) })
		return
	}
	if req == nil {
		req = appendList(nil, encs)
	}
	rt.StartCall(t.env.Tasks, t.env.Net, to, t.ep.insert, req, opts, func(rep []byte, err error) {
		if err != nil {
			done(0, err)
			return
		}
		done(maxStamp(rep))
	})
}

// sendBatches sends encoded entries to node to in RPCs of Config.Batch,
// and returns the greatest stamp the replies reported.
func (t *Table[E]) sendBatches(ctx context.Context, to rt.NodeID, encs [][]byte, opts rt.CallOpts) (uint64, error) {
	var newest uint64
	for len(encs) > 0 {
		n := min(len(encs), t.opts.Batch)
		rep, err := t.env.Net.Call(ctx, to, t.ep.insert, appendList(nil, encs[:n]), opts)
		if err != nil {
			return 0, err
		}
		st, err := maxStamp(rep)
		if err != nil {
			return 0, err
		}
		newest, encs = max(newest, st), encs[n:]
	}
	return newest, nil
}
