package table

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// setQuorum tracks calls to distinct nodes, each counting for every set
// that holds it, until every set has w successes or one cannot get them.
type setQuorum struct {
	sets   [][]int // node indexes per set
	w      int
	mu     rt.Mutex
	done   rt.Event
	ok     []int // successes per set
	left   []int // calls not yet answered per set
	errs   []error
	newest uint64 // the greatest stamp reported so far
	buf    [4]int // room for ok and left of up to two sets
}

// waitSetsStart starts call i for each node i of n with start(i, done),
// which arranges for done to receive its outcome (a stamp, see
// InsertNewest, and an error) exactly once, before start returns or later
// (see rt.Starter), and returns nil once every set (a list of node
// indexes) has w successes, or a *rt.QuorumError as soon as one set cannot
// reach w, or ctx.Err(); and the greatest stamp reported until then. A
// node in several sets is called once. Calls go on in the background
// after the return, under the node's lifetime: bound them with their own
// timeouts.
func waitSetsStart(ctx context.Context, tasks rt.Tasks, n int, sets [][]int, w int,
	start func(i int, done func(uint64, error))) (uint64, error) {
	q := &setQuorum{sets: sets, w: w, mu: tasks.NewMutex(), done: tasks.NewEvent()}
	if len(sets) <= len(q.buf)/2 {
		q.ok, q.left = q.buf[:len(sets):len(sets)], q.buf[len(sets):2*len(sets)]
	} else {
		q.ok, q.left = make([]int, len(sets)), make([]int, len(sets))
	}
	for s, set := range sets {
		q.left[s] = len(set)
	}
	if q.settled() {
		q.done.Set()
	}
	for i := range n {
		start(i, func(st uint64, err error) { q.record(i, st, err) })
	}
	if err := q.done.Wait(ctx); err != nil {
		return 0, err
	}
	return q.outcome()
}

func (q *setQuorum) record(i int, st uint64, err error) {
	q.mu.Lock()
	q.newest = max(q.newest, st)
	for s, set := range q.sets {
		for _, j := range set {
			if j != i {
				continue
			}
			q.left[s]--
			if err == nil {
				q.ok[s]++
			}
		}
	}
	if err != nil {
		q.errs = append(q.errs, fmt.Errorf("call %d: %w", i, err))
	}
	settled := q.settled()
	q.mu.Unlock()
	if settled {
		q.done.Set()
	}
}

// settled reports whether the outcome is known; q.mu is held or q is not
// shared yet.
func (q *setQuorum) settled() bool {
	all := true
	for s := range q.sets {
		if q.ok[s]+q.left[s] < q.w {
			return true
		}
		all = all && q.ok[s] >= q.w
	}
	return all
}

func (q *setQuorum) outcome() (uint64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for s, set := range q.sets {
		if q.ok[s] < q.w {
			return 0, &rt.QuorumError{Need: q.w, Got: q.ok[s], Of: len(set), Errs: append([]error(nil), q.errs...)}
		}
	}
	return q.newest, nil
}

// ErrNoNodes is returned for a key whose placement names no node (no
// layout yet).
var ErrNoNodes = errors.New("table: no node stores this key")

// indexSets maps node sets to indexes into a list of distinct nodes,
// appending new nodes to nodes.
func indexSets(nodes []rt.NodeID, index map[rt.NodeID]int, sets [][]rt.NodeID) ([]rt.NodeID, [][]int) {
	out := make([][]int, len(sets))
	for s, set := range sets {
		for _, id := range set {
			i, ok := index[id]
			if !ok {
				i = len(nodes)
				index[id] = i
				nodes = append(nodes, id)
			}
			out[s] = append(out[s], i)
		}
	}
	return nodes, out
}

// indexWriteSets is indexSets into a fresh list, without a map in the
// common case of one set of distinct nodes (a static placement).
func indexWriteSets(sets [][]rt.NodeID) ([]rt.NodeID, [][]int) {
	if len(sets) != 1 || !distinct(sets[0]) {
		return indexSets(nil, map[rt.NodeID]int{}, sets)
	}
	idx := make([]int, len(sets[0]))
	for i := range idx {
		idx[i] = i
	}
	return slices.Clone(sets[0]), [][]int{idx}
}

// distinct reports whether no node appears twice in the (short) set.
func distinct(set []rt.NodeID) bool {
	for i, id := range set {
		if slices.Contains(set[:i], id) {
			return false
		}
	}
	return true
}

// WaitWriteSets is the write quorum of tables for other stores placed by
// the same layout (the block manager): start(to, done) starts the call to
// each distinct node of sets and arranges for done to receive its outcome
// exactly once (see rt.Starter); WaitWriteSets returns nil once every set
// has w successes, a *rt.QuorumError as soon as one set cannot reach w,
// or ctx.Err(). Calls go on after it returned.
func WaitWriteSets(ctx context.Context, tasks rt.Tasks, sets [][]rt.NodeID, w int,
	start func(to rt.NodeID, done func(error))) error {
	nodes, idx := indexWriteSets(sets)
	_, err := waitSetsStart(ctx, tasks, len(nodes), idx, w, func(i int, done func(uint64, error)) {
		start(nodes[i], func(err error) { done(0, err) })
	})
	return err
}
