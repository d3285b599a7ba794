package table

import (
	"context"
	"fmt"

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
	defer guard(t.lay)()
	p := t.plan(es)
	if p.noLayout {
		return fmt.Errorf("table %s: insert %d entries: %w", t.schema.Name(), len(es), ErrNoLayout)
	}
	err := waitSets(ctx, t.env.Tasks, len(p.nodes), p.sets, t.lay.WriteQuorum(),
		func(ctx context.Context, i int) error {
			return t.sendBatches(ctx, p.nodes[i], p.batches[i], t.callOpts())
		})
	if err != nil {
		return fmt.Errorf("table %s: insert %d entries: %w", t.schema.Name(), len(es), err)
	}
	return nil
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
	var p writePlan
	index := map[rt.NodeID]int{}
	seen := map[string]bool{}
	for _, e := range es {
		var sets [][]int
		ws, err := writeSets(t.lay, e.PartitionKey())
		if err != nil {
			p.noLayout = true
			return p
		}
		p.nodes, sets = indexSets(p.nodes, index, ws)
		for len(p.batches) < len(p.nodes) {
			p.batches = append(p.batches, nil)
		}
		enc := crdt.Marshal(e)
		sent := map[int]bool{}
		for _, set := range sets {
			if k := fmt.Sprint(set); !seen[k] {
				seen[k] = true
				p.sets = append(p.sets, set)
			}
			for _, i := range set {
				if !sent[i] {
					sent[i] = true
					p.batches[i] = append(p.batches[i], enc)
				}
			}
		}
	}
	return p
}

// sendBatches sends encoded entries to node to in RPCs of Config.Batch.
func (t *Table[E]) sendBatches(ctx context.Context, to rt.NodeID, encs [][]byte, opts rt.CallOpts) error {
	for len(encs) > 0 {
		n := min(len(encs), t.opts.Batch)
		if _, err := t.env.Net.Call(ctx, to, t.ep.insert, appendList(nil, encs[:n]), opts); err != nil {
			return err
		}
		encs = encs[n:]
	}
	return nil
}
