package table

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Replication says where the entries of a key live and how many replicas
// must answer. It is the seam through which the cluster layout (with several
// live versions during a transition) reaches the table.
type Replication interface {
	// ReadNodes returns the nodes to read key from, most preferred first.
	ReadNodes(key []byte) []rt.NodeID
	// WriteSets returns the sets of nodes a write of key must reach; the
	// write needs WriteQuorum acknowledgements in every set. The caller
	// must not modify them.
	WriteSets(key []byte) [][]rt.NodeID
	ReadQuorum() int
	WriteQuorum() int
}

// ErrNoLayout is returned by reads and writes of a key that no node holds:
// the cluster has no layout version yet (or this node has not received it).
var ErrNoLayout = errors.New("no node holds this key: no cluster layout applied yet (see garage layout apply)")

// HashedReplication is a Replication that can also place a key by the
// BLAKE2b-256 of its partition key, which the table has at hand (its
// memo, see Table.key): the placement then hashes nothing again.
type HashedReplication interface {
	Replication
	ReadNodesHashed(h [32]byte) []rt.NodeID
	WriteSetsHashed(h [32]byte) [][]rt.NodeID
}

// ReadHedger is implemented by a Replication that can tell how long a read
// should wait for the read quorum it asks first: Get then asks the first
// ReadQuorum nodes of ReadNodes (the preferred ones) and one more each
// time one fails, as Garage does, and every other read node once
// ReadHedge(first) has passed without a quorum (<= 0: every read node at
// once, as without a ReadHedger). It bounds what a read pays for a silent
// node that the failure detector has not noticed yet.
type ReadHedger interface {
	ReadHedge(first []rt.NodeID) time.Duration
}

// readNodes returns the table's read nodes for partition key pk, whose
// hash is h, or ErrNoLayout when there are none.
func (t *Table[E]) readNodes(pk []byte, h [32]byte) ([]rt.NodeID, error) {
	var nodes []rt.NodeID
	if t.hashed != nil {
		nodes = t.hashed.ReadNodesHashed(h)
	} else {
		nodes = t.lay.ReadNodes(pk)
	}
	if len(nodes) == 0 {
		return nil, ErrNoLayout
	}
	return nodes, nil
}

// writeSets returns the table's write sets for partition key pk, or
// ErrNoLayout when a set is empty.
func (t *Table[E]) writeSets(pk []byte) ([][]rt.NodeID, error) {
	var sets [][]rt.NodeID
	if t.hashed != nil {
		sets = t.hashed.WriteSetsHashed(t.hashes.sum(pk))
	} else {
		sets = t.lay.WriteSets(pk)
	}
	if len(sets) == 0 {
		return nil, ErrNoLayout
	}
	for _, set := range sets {
		if len(set) == 0 {
			return nil, ErrNoLayout
		}
	}
	return sets, nil
}

// Mode is a consistency mode, as in Garage's consistency_mode.
type Mode uint8

// Consistency modes.
const (
	Consistent Mode = iota // R = ceil(RF/2), W = RF + 1 - R
	Degraded               // R = 1, W as in Consistent
	Dangerous              // R = W = 1
)

// ParseMode parses "consistent", "degraded" or "dangerous".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "consistent":
		return Consistent, nil
	case "degraded":
		return Degraded, nil
	case "dangerous":
		return Dangerous, nil
	}
	return 0, fmt.Errorf("unknown consistency mode %q (want consistent, degraded or dangerous)", s)
}

func (m Mode) String() string {
	return [...]string{"consistent", "degraded", "dangerous"}[m]
}

// Quorums returns the read and write quorums for replication factor rf.
func (m Mode) Quorums(rf int) (r, w int) {
	r = (rf + 1) / 2
	w = rf + 1 - r
	switch m {
	case Degraded:
		r = 1
	case Dangerous:
		r, w = 1, 1
	}
	return r, w
}

// Ring is a static replication: each key lives on the RF nodes ranked
// highest by rendezvous hashing of (key, node). It stands in for the
// layout-driven replication until the cluster layout lands. Nodes and RF
// must not change once the ring is in use: placements are cached.
type Ring struct {
	Nodes []rt.NodeID
	RF    int
	Mode  Mode

	mu    sync.Mutex
	cache map[string][][]rt.NodeID // placement per key, as one write set; at most ringCacheSize
}

// ringCacheSize bounds the placement cache; a full cache is dropped whole,
// which keeps it cheap and its effect independent of the order of keys.
const ringCacheSize = 4096

var _ Replication = (*Ring)(nil)

// ReadNodes returns the key's replicas. The caller must not modify them.
func (r *Ring) ReadNodes(key []byte) []rt.NodeID { return r.replicas(key)[0] }

// WriteSets returns the key's replicas as a single set. The caller must not
// modify them.
func (r *Ring) WriteSets(key []byte) [][]rt.NodeID { return r.replicas(key) }

// ReadQuorum returns R for the ring's mode.
func (r *Ring) ReadQuorum() int { q, _ := r.Mode.Quorums(r.RF); return q }

// WriteQuorum returns W for the ring's mode.
func (r *Ring) WriteQuorum() int { _, q := r.Mode.Quorums(r.RF); return q }

// replicas returns the key's placement as its one write set, from the
// cache when it is there. The slices are shared, capped at their length.
func (r *Ring) replicas(key []byte) [][]rt.NodeID {
	r.mu.Lock()
	defer r.mu.Unlock()
	if out, ok := r.cache[string(key)]; ok {
		return out
	}
	out := [][]rt.NodeID{rank(r.Nodes, r.RF, key)}
	out = out[:1:1]
	if r.cache == nil || len(r.cache) >= ringCacheSize {
		r.cache = make(map[string][][]rt.NodeID)
	}
	r.cache[string(key)] = out
	return out
}

// rank returns the rf nodes of nodes ranked highest for key by rendezvous
// hashing: the smallest sha256(key || node) first.
func rank(nodes []rt.NodeID, rf int, key []byte) []rt.NodeID {
	type ranked struct {
		id    rt.NodeID
		score [32]byte
	}
	all := make([]ranked, len(nodes))
	var buf []byte
	for i, id := range nodes {
		buf = append(append(buf[:0], key...), id...)
		all[i] = ranked{id, sha256.Sum256(buf)}
	}
	slices.SortFunc(all, func(a, b ranked) int { return slices.Compare(a.score[:], b.score[:]) })
	n := min(rf, len(all))
	out := make([]rt.NodeID, n)
	for i, x := range all[:n] {
		out[i] = x.id
	}
	return out[:n:n]
}
