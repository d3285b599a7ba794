package cluster

import (
	"slices"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// FullMaxFaults is how many nodes a write of a fully replicated table may
// miss: its write quorum is the node count minus this (at least 1).
const FullMaxFaults = 1

// KeyHash returns the hash that places a partition key: BLAKE2b-256, as in
// Garage.
func KeyHash(key []byte) layout.Hash { return blake2b.Sum256(key) }

// sharded places each key on the RF nodes the layout assigns its partition.
type sharded struct {
	c    *Cluster
	mode table.Mode
	sync *tableSync
}

var (
	_ table.Layout            = (*sharded)(nil)
	_ table.HashedReplication = (*sharded)(nil)
	_ table.ReadHedger        = (*sharded)(nil)
)

// Sharded returns the replication of a sharded table: a key lives on the
// nodes of its partition (by KeyHash). Reads go to the read version's nodes,
// ordered with nodes counted down last, then self first, then same zone,
// then lowest RTT, then id; a read asks a read quorum of them first and the
// others after ReadHedge; writes go to one set per live layout version;
// quorums come from the replication factor and mode. Without a valid layout, writes get one empty set, which
// no quorum can reach.
//
// Each call makes the handle of one table: the node's sync tracker rises
// to version v once every handle was told SyncDone(v) (or the node's own
// SyncDone was called). Make one per table.
func Sharded(c *Cluster, mode table.Mode) table.Layout {
	return &sharded{c: c, mode: mode, sync: c.registerTable()}
}

// ReadNodes returns the nodes of key's partition in the read version.
func (s *sharded) ReadNodes(key []byte) []rt.NodeID { return s.ReadNodesHashed(KeyHash(key)) }

// ReadNodesHashed is ReadNodes for the key whose KeyHash is kh.
func (s *sharded) ReadNodesHashed(kh [32]byte) []rt.NodeID {
	h, rv := s.c.readSnapshot()
	return s.c.orderReads(h, rv.NodesOf(h.PartitionOf(kh))) // a fresh slice: ours to reorder
}

// ReadHedge returns how long a read waits for the read quorum it asked
// first before asking the other read nodes (see table.ReadHedger): twice
// the greatest RTT estimate among them, at least 10 ms; 0 (ask every
// read node at once) while one has no estimate.
func (s *sharded) ReadHedge(first []rt.NodeID) time.Duration { return s.c.readHedge(first) }

// WriteSets returns the nodes of key's partition in every live version.
func (s *sharded) WriteSets(key []byte) [][]rt.NodeID { return s.WriteSetsHashed(KeyHash(key)) }

// WriteSetsHashed is WriteSets for the key whose KeyHash is kh: the sets
// of the tables' placement snapshot, made once per layout change and
// shared (callers do not modify them).
func (s *sharded) WriteSetsHashed(kh [32]byte) [][]rt.NodeID {
	sets := s.c.shardedSnapshot().PartOf(kh).Sets
	if len(sets) == 0 {
		return [][]rt.NodeID{{}}
	}
	return sets
}

// ReadQuorum returns R for the layout's replication factor and the mode.
func (s *sharded) ReadQuorum() int { r, _ := s.mode.Quorums(s.rf()); return r }

// WriteQuorum returns W for the layout's replication factor and the mode.
func (s *sharded) WriteQuorum() int { _, w := s.mode.Quorums(s.rf()); return w }

func (s *sharded) rf() int { return s.c.layoutSnapshot().Current().Params.Replication }

// full places every key on every node of the current layout.
type full struct {
	c    *Cluster
	sync *tableSync
}

var _ table.Layout = (*full)(nil)

// Full returns the replication of a fully replicated table (buckets, keys,
// as in Garage): reads from this node alone with quorum 1; writes to every
// node of the current layout version, gateways included, with quorum
// nodes − FullMaxFaults (at least 1). A read may thus miss a write that
// skipped this node until anti-entropy catches up, as in Garage. Like
// Sharded, each call makes the handle of one table.
func Full(c *Cluster) table.Layout { return &full{c: c, sync: c.registerTable()} }

// ReadNodes returns this node.
func (f *full) ReadNodes([]byte) []rt.NodeID { return []rt.NodeID{f.c.self} }

// WriteSets returns every node of the current version as one set.
func (f *full) WriteSets([]byte) [][]rt.NodeID {
	return [][]rt.NodeID{slices.Clone(f.c.layoutSnapshot().Current().Nodes())}
}

// MustWrite returns this node: since reads answer from this node alone, a
// write made here waits for this node's copy as well as for its quorum,
// so that the node that wrote reads its own write (a bucket it created, a
// permission it granted).
func (f *full) MustWrite() []rt.NodeID { return []rt.NodeID{f.c.self} }

// ReadQuorum returns 1.
func (f *full) ReadQuorum() int { return 1 }

// WriteQuorum returns the node count minus FullMaxFaults, at least 1.
func (f *full) WriteQuorum() int {
	return max(1, len(f.c.layoutSnapshot().Current().Nodes())-FullMaxFaults)
}
