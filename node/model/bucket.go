package model

import (
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/table"
)

// Perm is what an access key may do with a bucket.
type Perm struct {
	Read, Write, Owner bool
}

// Any reports whether p grants anything.
func (p Perm) Any() bool { return p.Read || p.Write || p.Owner }

// Encode appends one byte: bit 0 read, bit 1 write, bit 2 owner.
func (p Perm) Encode(b []byte) []byte {
	var f byte
	for i, v := range []bool{p.Read, p.Write, p.Owner} {
		if v {
			f |= 1 << i
		}
	}
	return append(b, f)
}

// Decode reads the byte Encode wrote.
func (Perm) Decode(b []byte) (Perm, []byte, error) {
	d := decoder{b: b}
	f := d.tag(8)
	rest, err := d.done("permission")
	return Perm{Read: f&1 != 0, Write: f&2 != 0, Owner: f&4 != 0}, rest, err
}

// Website is a bucket's static website configuration; the zero value
// means the website is off.
type Website struct {
	Enabled       bool
	IndexDocument string
	ErrorDocument string // "" for none
}

// Encode appends the flag and, when enabled, both documents.
func (w Website) Encode(b []byte) []byte {
	b = appendBool(b, w.Enabled)
	if !w.Enabled {
		return b
	}
	return appendStr(appendStr(b, w.IndexDocument), w.ErrorDocument)
}

// Decode reads a Website; a disabled one has no documents.
func (Website) Decode(b []byte) (Website, []byte, error) {
	d := decoder{b: b}
	w := Website{Enabled: d.flag()}
	if w.Enabled {
		w.IndexDocument, w.ErrorDocument = d.str(), d.str()
	}
	rest, err := d.done("website")
	return w, rest, err
}

// Quotas limit a bucket; zero means no limit.
type Quotas struct {
	MaxSize    uint64 // bytes
	MaxObjects uint64
}

// Encode appends both limits.
func (q Quotas) Encode(b []byte) []byte { return appendU64(appendU64(b, q.MaxSize), q.MaxObjects) }

// Decode reads Quotas.
func (Quotas) Decode(b []byte) (Quotas, []byte, error) {
	d := decoder{b: b}
	q := Quotas{MaxSize: d.u64(), MaxObjects: d.u64()}
	rest, err := d.done("quotas")
	return q, rest, err
}

// BucketParams is the state of a bucket that exists: every field is a
// CRDT of its own, written independently (Garage's BucketParams).
type BucketParams struct {
	// Created is the creation date (ms); replicas agree on it.
	Created crdt.Max[crdt.Uint64]
	// Keys holds the permission of each access key id (LWW per key); the
	// key's entry holds the same permission with the same timestamp.
	Keys crdt.LWWMap[crdt.String, Perm]
	// Aliases holds the global names of the bucket (true: in use).
	Aliases crdt.LWWMap[crdt.String, crdt.Bool]
	// LocalAliases holds the names of the bucket in access keys' own
	// namespaces, keyed by LocalAliasKey(key id, name).
	LocalAliases crdt.LWWMap[crdt.String, crdt.Bool]
	Website      crdt.LWW[Website]
	// CORS and Lifecycle are documents the S3 layer defines (empty: none).
	CORS      crdt.LWW[crdt.Bytes]
	Lifecycle crdt.LWW[crdt.Bytes]
	Quotas    crdt.LWW[Quotas]
}

// LocalAliasKey returns the key of a local alias in BucketParams: the
// access key id and the name, separated by a zero byte (neither contains
// one).
func LocalAliasKey(keyID, name string) crdt.String { return crdt.String(keyID + "\x00" + name) }

// Merge merges field by field.
func (p BucketParams) Merge(o BucketParams) BucketParams {
	return BucketParams{
		Created: p.Created.Merge(o.Created), Keys: p.Keys.Merge(o.Keys),
		Aliases: p.Aliases.Merge(o.Aliases), LocalAliases: p.LocalAliases.Merge(o.LocalAliases),
		Website: p.Website.Merge(o.Website), CORS: p.CORS.Merge(o.CORS),
		Lifecycle: p.Lifecycle.Merge(o.Lifecycle), Quotas: p.Quotas.Merge(o.Quotas),
	}
}

// Encode appends every field in declaration order.
func (p BucketParams) Encode(b []byte) []byte {
	b = p.Created.Encode(b)
	b = p.Keys.Encode(b)
	b = p.Aliases.Encode(b)
	b = p.LocalAliases.Encode(b)
	b = p.Website.Encode(b)
	b = p.CORS.Encode(b)
	b = p.Lifecycle.Encode(b)
	return p.Quotas.Encode(b)
}

// Decode reads BucketParams.
func (BucketParams) Decode(b []byte) (BucketParams, []byte, error) {
	d := decoder{b: b}
	p := BucketParams{
		Created: read[crdt.Max[crdt.Uint64]](&d), Keys: read[crdt.LWWMap[crdt.String, Perm]](&d),
		Aliases: read[crdt.LWWMap[crdt.String, crdt.Bool]](&d), LocalAliases: read[crdt.LWWMap[crdt.String, crdt.Bool]](&d),
		Website: read[crdt.LWW[Website]](&d), CORS: read[crdt.LWW[crdt.Bytes]](&d),
		Lifecycle: read[crdt.LWW[crdt.Bytes]](&d), Quotas: read[crdt.LWW[Quotas]](&d),
	}
	rest, err := d.done("bucket params")
	return p, rest, err
}

// Bucket is a row of the bucket table (fully replicated): a bucket id
// and its parameters, or the marker of a deleted bucket.
type Bucket struct {
	ID    UUID
	State crdt.Deletable[BucketParams]
}

var _ table.Entry[Bucket] = Bucket{}

// NewBucket returns a bucket created at ts (ms).
func NewBucket(id UUID, ts uint64) Bucket {
	return Bucket{ID: id, State: crdt.Present(BucketParams{Created: crdt.Max[crdt.Uint64]{V: crdt.Uint64(ts)}})}
}

// Params returns the bucket's parameters and false if it is deleted.
func (b Bucket) Params() (BucketParams, bool) { return b.State.Get() }

// PartitionKey is empty: the bucket table is one partition.
func (Bucket) PartitionKey() []byte { return nil }

// SortKey is the bucket id.
func (b Bucket) SortKey() []byte { return b.ID[:] }

// Merge merges the states of the same bucket.
func (b Bucket) Merge(o Bucket) Bucket { return Bucket{ID: b.ID, State: b.State.Merge(o.State)} }

// Encode appends the id and the state.
func (b Bucket) Encode(p []byte) []byte { return b.State.Encode(b.ID.Encode(p)) }

// Decode reads a Bucket.
func (Bucket) Decode(p []byte) (Bucket, []byte, error) {
	d := decoder{b: p}
	b := Bucket{ID: read[UUID](&d), State: read[crdt.Deletable[BucketParams]](&d)}
	rest, err := d.done("bucket")
	return b, rest, err
}

// OptUUID is an optional UUID: what an alias points to.
type OptUUID struct {
	Set bool
	ID  UUID
}

// Some returns an OptUUID holding id.
func Some(id UUID) OptUUID { return OptUUID{Set: true, ID: id} }

// Encode appends a flag and, if set, the id.
func (o OptUUID) Encode(b []byte) []byte {
	b = appendBool(b, o.Set)
	if o.Set {
		b = o.ID.Encode(b)
	}
	return b
}

// Decode reads an OptUUID.
func (OptUUID) Decode(b []byte) (OptUUID, []byte, error) {
	d := decoder{b: b}
	o := OptUUID{Set: d.flag()}
	if o.Set {
		o.ID = read[UUID](&d)
	}
	rest, err := d.done("optional id")
	return o, rest, err
}

// BucketAlias is a row of the bucket_alias table (fully replicated): a
// global bucket name and the bucket it points to, or none once it is
// removed (a tombstone).
type BucketAlias struct {
	Name   string
	Target crdt.LWW[OptUUID]
}

var _ table.Entry[BucketAlias] = BucketAlias{}

// PartitionKey is empty: the alias table is one partition.
func (BucketAlias) PartitionKey() []byte { return nil }

// SortKey is the name.
func (a BucketAlias) SortKey() []byte { return []byte(a.Name) }

// Bucket returns the bucket the alias points to, if any.
func (a BucketAlias) Bucket() (UUID, bool) { v := a.Target.Value(); return v.ID, v.Set }

// Merge keeps the newer target.
func (a BucketAlias) Merge(o BucketAlias) BucketAlias {
	return BucketAlias{Name: a.Name, Target: a.Target.Merge(o.Target)}
}

// Encode appends the name and the target.
func (a BucketAlias) Encode(b []byte) []byte { return a.Target.Encode(appendStr(b, a.Name)) }

// Decode reads a BucketAlias.
func (BucketAlias) Decode(b []byte) (BucketAlias, []byte, error) {
	d := decoder{b: b}
	a := BucketAlias{Name: d.str(), Target: read[crdt.LWW[OptUUID]](&d)}
	rest, err := d.done("bucket alias")
	return a, rest, err
}
