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
// quorum was reached. Each node's batch is a started call (rt.StartCall),
// the call to this node last: the coordinator waits once, whatever the
// number of replicas.
func (t *Table[E]) insertMany(ctx context.Context, es []E, opts rt.CallOpts) (uint64, error) {
	defer guard(t.lay)()
	p := t.plan(es)
	if p.noLayout {
		return 0, fmt.Errorf("table %s: insert %d entries: %w", t.schema.Name(), len(es), ErrNoLayout)
	}
	mu, newest := t.env.Tasks.NewMutex(), uint64(0)
	must := t.mustWrite(p.nodes)
	err := waitSetsStart(ctx, t.env.Tasks, len(p.nodes), p.sets, t.lay.WriteQuorum(),
		func(i int, done func(error)) {
			t.startBatches(p.nodes[i], p.batches[i], opts, func(st uint64, err error) {
				mu.Lock()
				newest = max(newest, st)
				mu.Unlock()
				for _, m := range must {
					if m.i == i {
						m.err = err
						m.done.Set()
					}
				}
				done(err)
			})
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
	mu.Lock()
	defer mu.Unlock()
	return newest, nil
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

// writePlan is who receives what in a write: distinct nodes (this node
// last), the encoded entries for each, and the node sets (as indexes,
// deduplicated) that each need a write quorum.
type writePlan struct {
	nodes    []rt.NodeID
	batches  [][][]byte
	sets     [][]int
	noLayout bool // some entry has no node to go to
}

func (t *Table[E]) plan(es []E) writePlan {
	var p writePlan
	var idx nodeIndex
	var sentTo []int // per node index: 1 + the last entry batched for it
	for n, e := range es {
		ws, err := writeSets(t.lay, e.PartitionKey())
		if err != nil {
			p.noLayout = true
			return p
		}
		enc := crdt.Marshal(e)
		for _, set := range ws {
			is := make([]int, len(set))
			for k, id := range set {
				is[k] = idx.of(id)
			}
			for len(p.batches) < idx.len() {
				p.batches, sentTo = append(p.batches, nil), append(sentTo, 0)
			}
			if !slices.ContainsFunc(p.sets, func(s []int) bool { return slices.Equal(s, is) }) {
				p.sets = append(p.sets, is)
			}
			for _, i := range is {
				if sentTo[i] != n+1 {
					sentTo[i] = n + 1
					p.batches[i] = append(p.batches[i], enc)
				}
			}
		}
	}
	p.nodes = idx.nodes
	p.selfLast(t.env.ID)
	return p
}

// selfLast moves this node to the end of p.nodes (a call to it may run
// inline and block the caller: it starts after the calls that leave at
// once), renumbering the sets and batches.
func (p *writePlan) selfLast(self rt.NodeID) {
	i, last := slices.Index(p.nodes, self), len(p.nodes)-1
	if i < 0 || i == last {
		return
	}
	p.nodes = append(append(p.nodes[:i:i], p.nodes[i+1:]...), self)
	p.batches = append(append(p.batches[:i:i], p.batches[i+1:]...), p.batches[i])
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

// nodeIndex numbers distinct nodes in order of first appearance, by
// linear search while they are few (a sharded key names a handful) and
// through a map past that (a fully replicated table names every node).
type nodeIndex struct {
	nodes []rt.NodeID
	m     map[rt.NodeID]int
}

func (x *nodeIndex) len() int { return len(x.nodes) }

// of returns the index of id, numbering it if it is new.
func (x *nodeIndex) of(id rt.NodeID) int {
	if x.m != nil {
		if i, ok := x.m[id]; ok {
			return i
		}
	} else if i := slices.Index(x.nodes, id); i >= 0 {
		return i
	}
	x.nodes = append(x.nodes, id)
	if x.m == nil && len(x.nodes) > 16 {
		x.m = make(map[rt.NodeID]int, 2*len(x.nodes))
		for i, n := range x.nodes {
			x.m[n] = i
		}
	} else if x.m != nil {
		x.m[id] = len(x.nodes) - 1
	}
	return len(x.nodes) - 1
}

// startBatches sends encoded entries to node to and passes done the
// greatest stamp the replies reported, or the first error: one started
// call when they fit in one RPC of Config.Batch, otherwise a task that
// sends the RPCs one after the other.
func (t *Table[E]) startBatches(to rt.NodeID, encs [][]byte, opts rt.CallOpts, done func(uint64, error)) {
	if len(encs) > t.opts.Batch {
		t.env.Tasks.Spawn("table-insert-batches", func(ctx context.Context) { done(t.sendBatches(ctx, to, encs, opts)) })
		return
	}
	rt.StartCall(t.env.Tasks, t.env.Net, to, t.ep.insert, appendList(nil, encs), opts, func(rep []byte, err error) {
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
