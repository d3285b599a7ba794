package model

import (
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/table"
)

// VersionBlock is one block of a version: its hash and size (bytes).
type VersionBlock struct {
	Hash Hash
	Size uint64
}

// Encode appends the hash and the size.
func (v VersionBlock) Encode(b []byte) []byte { return appendU64(append(b, v.Hash[:]...), v.Size) }

// Decode reads a VersionBlock.
func (VersionBlock) Decode(b []byte) (VersionBlock, []byte, error) {
	d := decoder{b: b}
	v := VersionBlock{Hash: Hash(d.fixed32()), Size: d.u64()}
	rest, err := d.done("version block")
	return v, rest, err
}

// Backlink names what a version belongs to: an object (bucket and key),
// or, for the version of one part, a multipart upload.
type Backlink struct {
	Upload bool
	Bucket UUID   // object versions
	Key    string // object versions
	ID     UUID   // part versions: the upload id
}

// ObjectLink returns the backlink of a version of object (bucket, key).
func ObjectLink(bucket UUID, key string) Backlink { return Backlink{Bucket: bucket, Key: key} }

// UploadLink returns the backlink of a part version of upload id.
func UploadLink(id UUID) Backlink { return Backlink{Upload: true, ID: id} }

// Encode appends a flag and the fields of its kind.
func (l Backlink) Encode(b []byte) []byte {
	b = appendBool(b, l.Upload)
	if l.Upload {
		return l.ID.Encode(b)
	}
	return appendStr(l.Bucket.Encode(b), l.Key)
}

// Decode reads a Backlink.
func (Backlink) Decode(b []byte) (Backlink, []byte, error) {
	d := decoder{b: b}
	l := Backlink{Upload: d.flag()}
	if l.Upload {
		l.ID = read[UUID](&d)
	} else {
		l.Bucket, l.Key = read[UUID](&d), d.str()
	}
	rest, err := d.done("backlink")
	return l, rest, err
}

// Version is a row of the version table (sharded by version id): the
// block list of one object version or one part, keyed by (part number,
// offset in the part). A deleted version forgets its blocks; its
// deletion, through the table's hook, deletes their block references.
type Version struct {
	UUID     UUID
	Deleted  crdt.Bool
	Blocks   crdt.Map[Pair, Pick[VersionBlock]]
	Backlink Pick[Backlink]
}

var _ table.Entry[Version] = Version{}

// NewVersion returns the live version u of link, without blocks.
func NewVersion(u UUID, link Backlink) Version {
	return Version{UUID: u, Backlink: Pick[Backlink]{V: link}}
}

// DeletedVersion returns the deletion marker of version u.
func DeletedVersion(u UUID, link Backlink) Version {
	v := NewVersion(u, link)
	v.Deleted = true
	return v
}

// WithBlock returns v with block b at (part, offset).
func (v Version) WithBlock(part, offset uint64, b VersionBlock) Version {
	v.Blocks = v.Blocks.Put(NewPair(part, offset), Pick[VersionBlock]{V: b})
	return v
}

// PartitionKey is the version id.
func (v Version) PartitionKey() []byte { return v.UUID[:] }

// SortKey is empty.
func (Version) SortKey() []byte { return nil }

// Merge merges two states of the same version.
func (v Version) Merge(o Version) Version {
	m := Version{UUID: v.UUID, Deleted: v.Deleted.Merge(o.Deleted), Backlink: v.Backlink.Merge(o.Backlink)}
	if !m.Deleted {
		m.Blocks = v.Blocks.Merge(o.Blocks)
	}
	return m
}

// Encode appends the id, the flag, the blocks and the backlink.
func (v Version) Encode(b []byte) []byte {
	b = v.Deleted.Encode(v.UUID.Encode(b))
	return v.Backlink.Encode(v.Blocks.Encode(b))
}

// Decode reads a Version; a deleted one has no blocks.
func (Version) Decode(b []byte) (Version, []byte, error) {
	d := decoder{b: b}
	v := Version{UUID: read[UUID](&d), Deleted: read[crdt.Bool](&d),
		Blocks: read[crdt.Map[Pair, Pick[VersionBlock]]](&d), Backlink: read[Pick[Backlink]](&d)}
	d.check(!bool(v.Deleted) || v.Blocks.Len() == 0, "deleted version with blocks")
	rest, err := d.done("version")
	return v, rest, err
}

// BlockList returns the blocks in (part, offset) order.
func (v Version) BlockList() []PlacedBlock {
	out := make([]PlacedBlock, 0, v.Blocks.Len())
	for k, b := range v.Blocks.All() {
		out = append(out, PlacedBlock{Part: k.A(), Offset: k.B(), VersionBlock: b.V})
	}
	return out
}

// PlacedBlock is a block and its place in a version.
type PlacedBlock struct {
	Part, Offset uint64
	VersionBlock
}

// BlockRef is a row of the block_ref table (sharded by block hash, so it
// lives with the block): version Version uses block Block. Its hook keeps
// the block manager's reference counts.
type BlockRef struct {
	Block   Hash
	Version UUID
	Deleted crdt.Bool
}

var _ table.Entry[BlockRef] = BlockRef{}

// PartitionKey is the block hash.
func (r BlockRef) PartitionKey() []byte { return r.Block[:] }

// SortKey is the version id.
func (r BlockRef) SortKey() []byte { return r.Version[:] }

// Merge merges the flags.
func (r BlockRef) Merge(o BlockRef) BlockRef { r.Deleted = r.Deleted.Merge(o.Deleted); return r }

// Encode appends the hash, the version id and the flag.
func (r BlockRef) Encode(b []byte) []byte {
	return r.Deleted.Encode(r.Version.Encode(append(b, r.Block[:]...)))
}

// Decode reads a BlockRef.
func (BlockRef) Decode(b []byte) (BlockRef, []byte, error) {
	d := decoder{b: b}
	r := BlockRef{Block: Hash(d.fixed32()), Version: read[UUID](&d), Deleted: read[crdt.Bool](&d)}
	rest, err := d.done("block ref")
	return r, rest, err
}
