package table

import (
	"encoding/binary"
	"slices"
	"sync"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"golang.org/x/crypto/blake2b"
)

// Layout is what a generic table needs from the cluster layout: the
// quorum placement of Replication for reads and writes, plus a snapshot of
// every partition's node sets for the background workers (anti-entropy,
// offload, tombstone GC) and the hook that reports a finished sync.
//
// The cluster implements it for sharded tables (partitions of the layout,
// one node set per live version) and fully replicated ones (a single
// partition, Bits = 0, holding every node). Implementations must be safe
// for use by every task of the node and must not block.
type Layout interface {
	Replication
	// Sharding returns a snapshot of the placement. It is called at every
	// layout change (or once per LayoutPoll) and at every pass of the
	// workers.
	Sharding() Sharding
	// SyncDone reports that this node's replica of the table holds every
	// entry that layout version v (a Sharding.Version) assigns it: an
	// anti-entropy pass over a snapshot of that version finished without
	// error with every partition and peer. The cluster raises this node's
	// sync tracker once every table of the node has reported v.
	SyncDone(v uint64)
}

// LayoutNotifier is implemented by a Layout that can tell when its
// Sharding may change: Changed returns an event set at the next change
// after the call (nil: it cannot tell this time). A table's sync worker
// then waits for that event, or for its next periodic pass, instead of
// looking every LayoutPoll (Garage's tables likewise watch the layout).
type LayoutNotifier interface {
	Changed() rt.Event
}

// Funcs assembles a Layout from a Replication and two functions, so that
// the cluster can serve a table without a type of its own, for instance
// Funcs{Replication: cluster.Sharded(c, mode), Shard: func() Sharding {
// return ShardingOf(c.History()) }, Done: c.SyncDone}. A nil Shard means
// no partitions (no background sync); a nil Done ignores finished syncs.
type Funcs struct {
	Replication
	Shard func() Sharding
	Done  func(v uint64)
}

var _ Layout = Funcs{}

// Sharding calls f.Shard.
func (f Funcs) Sharding() Sharding {
	if f.Shard == nil {
		return Sharding{}
	}
	return f.Shard()
}

// SyncDone calls f.Done.
func (f Funcs) SyncDone(v uint64) {
	if f.Done != nil {
		f.Done(v)
	}
}

// Sharding is a snapshot of where a table's partitions live.
type Sharding struct {
	// Version is the layout version that a full anti-entropy pass over
	// this snapshot syncs (the cluster's sync target); zero means that no
	// SyncDone is due (for instance while not every node acked the newest
	// version).
	Version uint64
	// Bits gives the number of partitions, 2^Bits: a key hash h belongs to
	// partition layout.PartitionOf(h, Bits). It must not exceed the
	// table's Options.PartitionBits.
	Bits int
	// Parts holds the node sets of each partition, one per live layout
	// version, oldest first.
	Parts []Part
	// fp caches Fingerprint (ShardingOf and FullSharding fill it): the
	// sync loops of every table compare it every LayoutPoll.
	fp *[32]byte
	// memo caches what is derived from Bits and Parts alone, for the
	// snapshots WithFingerprint makes (WithVersion keeps it, the
	// partitions being the same): their hash, and each table's
	// anti-entropy assignments.
	memo *shardMemo
}

// shardMemo is a Sharding's cache of what its partitions determine. Every
// table of a node shares the cluster's snapshot, and each of them used to
// derive the same assignments at every pass.
type shardMemo struct {
	parts [32]byte // hash of Bits and Parts
	mu    sync.Mutex
	asg   map[asgKey]asgVal
}

type asgKey struct {
	self rt.NodeID
	bits int // the table's PartitionBits
}

type asgVal struct {
	peers   []peerParts
	offload []uint16
}

// assignments returns the memoised assignments of (self, bits), computing
// them with f the first time. The slices are shared: callers must not
// modify them.
func (m *shardMemo) assignments(k asgKey, f func() ([]peerParts, []uint16)) ([]peerParts, []uint16) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.asg[k]
	if !ok {
		v.peers, v.offload = f()
		if m.asg == nil {
			m.asg = map[asgKey]asgVal{}
		}
		m.asg[k] = v
	}
	return v.peers, v.offload
}

// Part is the placement of one partition.
type Part struct {
	Sets [][]rt.NodeID
	// nodes caches Nodes (Sharding.WithFingerprint fills it).
	nodes []rt.NodeID
}

// Nodes returns every node of every set, sorted, without duplicates. The
// caller must not modify the result.
func (p Part) Nodes() []rt.NodeID {
	if p.nodes != nil {
		return p.nodes
	}
	return p.union()
}

func (p Part) union() []rt.NodeID {
	var out []rt.NodeID
	for _, s := range p.Sets {
		out = append(out, s...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Holds reports whether node id is in one of the sets.
func (p Part) Holds(id rt.NodeID) bool {
	for _, s := range p.Sets {
		if slices.Contains(s, id) {
			return true
		}
	}
	return false
}

// PartOf returns the placement of key hash h (an empty Part if the
// snapshot has no partitions).
func (s Sharding) PartOf(h [32]byte) Part {
	if len(s.Parts) == 0 {
		return Part{}
	}
	return s.Parts[layout.PartitionOf(layout.Hash(h), s.Bits)]
}

// Fingerprint returns a hash of the snapshot, to notice layout changes.
func (s Sharding) Fingerprint() [32]byte {
	if s.fp != nil {
		return *s.fp
	}
	return s.fingerprint()
}

// WithVersion returns s with Version v, sharing s's partitions (which the
// sync target does not change) and their memo, and with its fingerprint
// computed again.
func (s Sharding) WithVersion(v uint64) Sharding {
	s.Version = v
	fp := s.fingerprint()
	s.fp = &fp
	return s
}

// WithFingerprint returns s with its fingerprint and every partition's
// node list computed once, for snapshots that are handed out many times.
// It fills s's partitions in place.
func (s Sharding) WithFingerprint() Sharding {
	s.memo = &shardMemo{parts: s.partsHash()}
	fp := s.fingerprint()
	s.fp = &fp
	for i := range s.Parts {
		s.Parts[i].nodes = s.Parts[i].union()
	}
	return s
}

// fingerprint hashes Version with the hash of the partitions.
func (s Sharding) fingerprint() [32]byte {
	var ph [32]byte
	if s.memo != nil {
		ph = s.memo.parts
	} else {
		ph = s.partsHash()
	}
	var b [8 + 32]byte
	binary.BigEndian.PutUint64(b[:8], s.Version)
	copy(b[8:], ph[:])
	return blake2b.Sum256(b[:])
}

// partsHash hashes Bits and every partition's node sets.
func (s Sharding) partsHash() [32]byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(s.Bits))
	for _, p := range s.Parts {
		b = binary.AppendUvarint(b, uint64(len(p.Sets)))
		for _, set := range p.Sets {
			b = binary.AppendUvarint(b, uint64(len(set)))
			for _, id := range set {
				b = append(append(b, id...), 0)
			}
		}
	}
	return blake2b.Sum256(b)
}

// ShardingOf returns the sharding of a sharded table under history h:
// the layout's partitions with one node set per live version, and the
// sync target as Version (zero until every node acked it).
func ShardingOf(h *layout.History) Sharding {
	bits := h.Current().Params.PartitionBits
	s := Sharding{Bits: bits, Parts: make([]Part, 1<<bits)}
	if v, ok := h.SyncTarget(); ok {
		s.Version = v
	}
	for p := range s.Parts {
		for _, set := range h.WriteSets(layout.Partition(p)) {
			s.Parts[p].Sets = append(s.Parts[p].Sets, slices.Clone(set))
		}
	}
	return s.WithFingerprint()
}

// FullSharding returns the sharding of a fully replicated table at layout
// version v: a single partition (Bits 0) whose one set is every node.
func FullSharding(v uint64, nodes []rt.NodeID) Sharding {
	return Sharding{Version: v, Parts: []Part{{Sets: [][]rt.NodeID{slices.Clone(nodes)}}}}.WithFingerprint()
}
