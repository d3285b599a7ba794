package table

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// Get reads entry (pk, sk) from a read quorum and returns the merge of the
// replies, and whether any replica had the entry (tombstones count as
// entries: test them with the schema). If the replication is a ReadHedger,
// Get asks the preferred read quorum first and the other read nodes only
// when one of those fails or the hedge runs out; otherwise it asks every
// read node at once. Once every node asked answered, those that hold an
// older version or none get the merged one (read repair).
func (t *Table[E]) Get(ctx context.Context, pk, sk []byte) (E, bool, error) {
	key, h := t.keyAndHash(pk, sk)
	var zero E
	nodes, err := t.readNodes(pk, h)
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get: %w", t.schema.Name(), err)
	}
	k, hedge := t.lay.ReadQuorum(), time.Duration(0)
	if t.hedger != nil && k < len(nodes) {
		hedge = t.hedger.ReadHedge(nodes[:max(k, 0)])
	}
	if hedge > 0 {
		nodes = slices.Concat(selfLast(nodes[:k], t.env.ID), nodes[k:]) // the quorum asked first, then the rest
	} else {
		nodes = selfLast(nodes, t.env.ID)
	}
	res, err := rt.QuorumFirst(ctx, t.env.Tasks, len(nodes), k, hedge,
		func(i int, done func([]byte, error)) { t.fetch(nodes[i], key, done) },
		func(all []rt.Result[[]byte]) { t.repairGet(nodes, all) })
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get: %w", t.schema.Name(), err)
	}
	merged, found, err := mergeReplies[E](res)
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get: %w", t.schema.Name(), err)
	}
	return merged, found, nil
}

func (t *Table[E]) fetch(to rt.NodeID, key []byte, done func([]byte, error)) {
	rt.StartCall(t.env.Tasks, t.env.Net, to, t.ep.get, key, t.callOpts(), func(rep []byte, err error) {
		if err != nil {
			done(nil, err)
			return
		}
		r := reader{b: rep}
		v := r.opt()
		done(v, r.done())
	})
}

// mergeReplies merges the encoded entries of successful replies (nil:
// absent).
func mergeReplies[E Entry[E]](res []rt.Result[[]byte]) (E, bool, error) {
	var merged E
	found := false
	var buf [4][]byte
	seen := buf[:0] // the replies merged so far: replicas mostly agree
	for _, r := range res {
		if r.Err != nil || r.Val == nil {
			continue
		}
		if slices.ContainsFunc(seen, func(b []byte) bool { return bytes.Equal(b, r.Val) }) {
			continue // merging a state twice changes nothing
		}
		seen = append(seen, r.Val)
		e, err := crdt.Unmarshal[E](r.Val)
		if err != nil {
			return merged, false, err
		}
		if found {
			e = merged.Merge(e)
		}
		merged, found = e, true
	}
	return merged, found, nil
}

// repairGet sends the merged entry to every replica whose reply differs.
func (t *Table[E]) repairGet(nodes []rt.NodeID, all []rt.Result[[]byte]) {
	if agree(all) {
		return // every reply is the merge of them all
	}
	merged, found, err := mergeReplies[E](all)
	if err != nil || !found {
		return
	}
	enc := crdt.Marshal(merged)
	for _, r := range all {
		if r.Err == nil && !bytes.Equal(r.Val, enc) {
			t.repair(nodes[r.Index], [][]byte{enc})
		}
	}
}

// agree reports whether every successful reply holds the same encoding
// (or none): then none differs from their merge, encodings being
// canonical and merges idempotent.
func agree(all []rt.Result[[]byte]) bool {
	var first []byte
	seen := false
	for _, r := range all {
		if r.Err != nil {
			continue
		}
		if !seen {
			first, seen = r.Val, true
			continue
		}
		if (first == nil) != (r.Val == nil) || !bytes.Equal(first, r.Val) {
			return false
		}
	}
	return true
}

// repair sends encoded entries to node to in the background: a repair of
// this node itself runs in a task of its own, so that it never holds up
// the read whose last reply triggered it.
func (t *Table[E]) repair(to rt.NodeID, encs [][]byte) {
	done := func(_ uint64, err error) {
		if err != nil {
			t.env.Log.Debug("read repair failed", "table", t.schema.Name(), "to", to, "err", err)
		}
	}
	if to == t.env.ID {
		t.env.Tasks.Spawn("table-read-repair", func(ctx context.Context) { done(t.sendBatches(ctx, to, encs, t.callOpts())) })
		return
	}
	t.startBatches(to, encs, nil, t.callOpts(), done)
}

// selfLast returns nodes with self moved to the end, copying them if it
// must move: a call to the node itself may run inline and block, so it
// goes after the calls that leave at once.
func selfLast(nodes []rt.NodeID, self rt.NodeID) []rt.NodeID {
	i := slices.Index(nodes, self)
	if i < 0 || i == len(nodes)-1 {
		return nodes
	}
	out := make([]rt.NodeID, 0, len(nodes))
	out = append(append(out, nodes[:i]...), nodes[i+1:]...)
	return append(out, self)
}

// GetAll reads entry (pk, sk) from every node of every live layout
// version that stores it, and fails unless all of them answer: for
// decisions that must know every replica's state, such as aborting an
// upload that a replica may already hold complete. The replicas that
// differ from the merge are repaired, as by Get.
func (t *Table[E]) GetAll(ctx context.Context, pk, sk []byte) (E, bool, error) {
	var zero E
	sets, err := t.writeSets(pk)
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get all: %w", t.schema.Name(), err)
	}
	nodes, _ := indexSets(nil, map[rt.NodeID]int{}, sets)
	nodes = selfLast(nodes, t.env.ID)
	key := t.key(pk, sk)
	res, err := rt.QuorumStart(ctx, t.env.Tasks, len(nodes), len(nodes),
		func(i int, done func([]byte, error)) { t.fetch(nodes[i], key, done) },
		func(all []rt.Result[[]byte]) { t.repairGet(nodes, all) })
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get all: %w", t.schema.Name(), err)
	}
	merged, found, err := mergeReplies[E](res)
	if err != nil {
		return zero, false, fmt.Errorf("table %s: get all: %w", t.schema.Name(), err)
	}
	return merged, found, nil
}
