package model

import (
	"context"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Table names, as in Garage: each names its KV trees and RPC endpoints.
const (
	BucketTable   = "bucket_v2"
	AliasTable    = "bucket_alias"
	KeyTable      = "key"
	ObjectTable   = "object"
	VersionTable  = "version"
	BlockRefTable = "block_ref"
	MPUTable      = "multipart_upload"
	CounterTable  = "bucket_object_counter"
)

// Refcounter is the block manager's reference count of each stored
// block: the block_ref table's hook calls it in the transaction that
// changes a reference, so counts and references commit together.
type Refcounter interface {
	IncRef(tx rt.Tx, h Hash) error
	DecRef(tx rt.Tx, h Hash) error
}

// Layouts gives each table its placement: a new handle per call.
type Layouts struct {
	Sharded func() table.Layout // object, version, block_ref, upload and counter tables
	Full    func() table.Layout // bucket, alias and key tables
}

// Tables are the object model's tables on one node, opened together so
// that their hooks chain: object → version (and upload) → block_ref →
// block reference counts.
type Tables struct {
	Buckets   *table.Table[Bucket]
	Aliases   *table.Table[BucketAlias]
	Keys      *table.Table[Key]
	Objects   *table.Table[Object]
	Versions  *table.Table[Version]
	BlockRefs *table.Table[BlockRef]
	MPUs      *table.Table[MPU]
	Counters  *table.Table[Counter]

	env        rt.Env
	counterLay table.Layout
}

// Open opens every table of the object model on the node of env, with
// their hooks: refs receives the reference count changes of the blocks
// this node stores references of. cfg tunes every table.
func Open(env rt.Env, lay Layouts, refs Refcounter, cfg table.Config) *Tables {
	t := &Tables{env: env, counterLay: lay.Sharded()}
	t.Buckets = table.Open[Bucket](env, spec[Bucket](BucketTable, Bucket.isTombstone), lay.Full(), cfg)
	t.Aliases = table.Open[BucketAlias](env, spec[BucketAlias](AliasTable, BucketAlias.isTombstone), lay.Full(), cfg)
	t.Keys = table.Open[Key](env, spec[Key](KeyTable, Key.isTombstone), lay.Full(), cfg)
	t.Counters = table.Open[Counter](env, spec[Counter](CounterTable, nil), t.counterLay, cfg)
	t.BlockRefs = table.Open[BlockRef](env, blockRefSchema{refs: refs}, lay.Sharded(), cfg)
	t.Versions = table.Open[Version](env, versionSchema{refs: t.BlockRefs}, lay.Sharded(), cfg)
	t.MPUs = table.Open[MPU](env, mpuSchema{versions: t.Versions}, lay.Sharded(), cfg)
	t.Objects = table.Open[Object](env, objectSchema{t: t}, lay.Sharded(), cfg)
	return t
}

func spec[E table.Entry[E]](name string, tomb func(E) bool) table.Spec[E] {
	return table.Spec[E]{Table: name, Tombstone: tomb}
}

func (b Bucket) isTombstone() bool      { return b.State.IsDeleted() }
func (a BucketAlias) isTombstone() bool { _, ok := a.Bucket(); return !ok }
func (k Key) isTombstone() bool         { return k.State.IsDeleted() }

// Counts returns the counters of bucket: the greatest published by the
// nodes that store its objects now, read from a quorum.
func (t *Tables) Counts(ctx context.Context, bucket UUID) (Counts, error) {
	c, _, err := t.Counters.Get(ctx, bucket[:], nil)
	if err != nil {
		return Counts{}, fmt.Errorf("counters of bucket %s: %w", bucket, err)
	}
	var nodes []string
	for _, id := range t.Replicas(bucket[:]) {
		nodes = append(nodes, string(id))
	}
	return c.Among(nodes), nil
}

// Replicas returns the nodes that store partition key pk in a sharded
// table (in any live layout version), sorted: for a block hash, the nodes
// that store the block.
func (t *Tables) Replicas(pk []byte) []rt.NodeID {
	var out []rt.NodeID
	for _, set := range t.counterLay.WriteSets(pk) {
		out = append(out, set...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Drain applies the pending Merkle updates of every table.
func (t *Tables) Drain(ctx context.Context) error {
	for _, d := range t.all() {
		if err := d.Drain(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Queued returns the number of entries waiting in the insert queues of
// every table of this node.
func (t *Tables) Queued() (int, error) {
	n := 0
	for _, q := range t.all() {
		k, err := q.Queued()
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

// CollectOnce runs a round of tombstone GC on every table.
func (t *Tables) CollectOnce(ctx context.Context) error {
	for _, c := range t.all() {
		if err := c.CollectOnce(ctx); err != nil {
			return err
		}
	}
	return nil
}

// worker is what every table offers to the node-wide helpers above.
type worker interface {
	Drain(ctx context.Context) error
	Queued() (int, error)
	CollectOnce(ctx context.Context) error
}

// all lists the tables in hook order: an object's changes reach versions,
// then block references, so draining them in this order settles a chain.
func (t *Tables) all() []worker {
	return []worker{t.Buckets, t.Aliases, t.Keys, t.Objects, t.MPUs, t.Versions, t.BlockRefs, t.Counters}
}

var _ Refcounter = (*block.Manager)(nil)
