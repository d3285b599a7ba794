package table

import (
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// Entry is the type of a table's rows: a CRDT with a canonical encoding
// (node/crdt), placed by a partition key and ordered within the partition
// by a sort key. Replicas hash the canonical encoding in anti-entropy, so
// Encode must be a function of the state alone and Merge deterministic.
type Entry[E any] interface {
	crdt.Mergeable[E]
	// PartitionKey returns the key that places the entry: every entry of a
	// partition key lives on the same nodes.
	PartitionKey() []byte
	// SortKey returns the key that orders the entry within its partition
	// key; (PartitionKey, SortKey) identifies the entry.
	SortKey() []byte
}

// Schema describes a table: its name and the behaviour the table asks of
// its entries. Implementations must be safe for use by every task of the
// node and must not block.
type Schema[E Entry[E]] interface {
	// Name names the table: its KV trees and RPC endpoints derive from it,
	// so it must be unique on a node and equal on every node.
	Name() string
	// IsTombstone reports whether e is a deletion marker, which tombstone
	// GC may eventually remove from every replica.
	IsTombstone(e E) bool
	// Updated runs in the transaction that changes this node's replica of
	// an entry, after the merge and before the commit (Garage's updated()
	// hook, for indexes and counters): old is nil for a new entry, new is
	// nil when the entry leaves the replica (offload, tombstone GC). An
	// error aborts the transaction and fails the write.
	Updated(tx rt.Tx, old, new *E) error
}

// Stamper is implemented by schemas whose entries carry last-writer-wins
// timestamps: Stamp returns the newest timestamp e holds (0 for none).
// The insert RPC of such a table reports, for each entry it merged, the
// Stamp of the replica's entry before the merge, and InsertNewest returns
// the greatest of those a write quorum reported: what a coordinator that
// chose a timestamp optimistically needs to know whether some version was
// newer (see InsertNewest).
type Stamper[E any] interface {
	Stamp(e E) uint64
}

// Matcher is implemented by schemas whose range reads take custom
// filters: Match reports whether e passes filter, an opaque value the
// caller of GetRange chose and that travels to the replicas as bytes.
type Matcher[E any] interface {
	Match(e E, filter []byte) bool
}

// Filter selects the entries a range read returns.
type Filter struct {
	// Live drops tombstones.
	Live bool
	// Custom, if not nil, is passed to the schema's Match (the schema must
	// implement Matcher).
	Custom []byte
}

// Spec is a Schema assembled from functions; nil functions mean no
// tombstones and no hook.
type Spec[E Entry[E]] struct {
	Table     string
	Tombstone func(e E) bool
	OnUpdate  func(tx rt.Tx, old, new *E) error
}

// Name returns s.Table.
func (s Spec[E]) Name() string { return s.Table }

// IsTombstone calls s.Tombstone, if set.
func (s Spec[E]) IsTombstone(e E) bool { return s.Tombstone != nil && s.Tombstone(e) }

// Updated calls s.OnUpdate, if set.
func (s Spec[E]) Updated(tx rt.Tx, old, new *E) error {
	if s.OnUpdate == nil {
		return nil
	}
	return s.OnUpdate(tx, old, new)
}
