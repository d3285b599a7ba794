package model

import (
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// blockRefSchema counts the references of each block: +1 when a live
// reference appears on this node, -1 when it is deleted or leaves (GC of
// nothing: a tombstone never counted).
type blockRefSchema struct{ refs Refcounter }

func (blockRefSchema) Name() string                { return BlockRefTable }
func (blockRefSchema) IsTombstone(r BlockRef) bool { return bool(r.Deleted) }
func (s blockRefSchema) Updated(tx rt.Tx, old, new *BlockRef) error {
	was := old != nil && !bool(old.Deleted)
	is := new != nil && !bool(new.Deleted)
	switch {
	case is && !was:
		return s.refs.IncRef(tx, new.Block)
	case was && !is:
		return s.refs.DecRef(tx, old.Block)
	}
	return nil
}

// versionSchema deletes the block references of a version when it is
// deleted.
type versionSchema struct{ refs *table.Table[BlockRef] }

func (versionSchema) Name() string               { return VersionTable }
func (versionSchema) IsTombstone(v Version) bool { return bool(v.Deleted) }
func (s versionSchema) Updated(tx rt.Tx, old, new *Version) error {
	if old == nil || new == nil || !bool(new.Deleted) || bool(old.Deleted) {
		return nil
	}
	for _, b := range old.BlockList() {
		if err := s.refs.QueueInsert(tx, BlockRef{Block: b.Hash, Version: old.UUID, Deleted: true}); err != nil {
			return err
		}
	}
	return nil
}

// mpuSchema deletes the versions of an upload's parts when the upload is
// deleted (completed, whose final version has references of its own, or
// aborted).
type mpuSchema struct{ versions *table.Table[Version] }

func (mpuSchema) Name() string           { return MPUTable }
func (mpuSchema) IsTombstone(m MPU) bool { return bool(m.Deleted) }
func (s mpuSchema) Updated(tx rt.Tx, old, new *MPU) error {
	if old == nil || new == nil || !bool(new.Deleted) || bool(old.Deleted) {
		return nil
	}
	for _, p := range old.Parts.All() {
		if err := s.versions.QueueInsert(tx, DeletedVersion(p.Version, UploadLink(old.Upload))); err != nil {
			return err
		}
	}
	return nil
}

// ObjectFilter selects objects in range reads of the object table.
type ObjectFilter byte

// Object filters.
const (
	FilterData    ObjectFilter = 1 // objects with a visible version
	FilterUploads ObjectFilter = 2 // objects with a multipart upload in progress
)

// Custom returns the filter as table.Filter.Custom.
func (f ObjectFilter) Custom() []byte { return []byte{byte(f)} }

// objectSchema propagates an object's changes: versions it drops or
// aborts are deleted from the version table, multipart uploads that
// completed or were aborted from the upload table; the bucket's counters
// and the index of uploads in progress follow, all in the writing
// transaction.
type objectSchema struct{ t *Tables }

func (objectSchema) Name() string              { return ObjectTable }
func (objectSchema) IsTombstone(o Object) bool { return o.IsTombstone() }
func (objectSchema) Stamp(o Object) uint64     { return o.Stamp() }

// Match implements table.Matcher with FilterData and FilterUploads.
func (objectSchema) Match(o Object, f []byte) bool {
	if len(f) != 1 {
		return false
	}
	switch ObjectFilter(f[0]) {
	case FilterData:
		_, ok := o.Visible()
		return ok
	case FilterUploads:
		return len(o.Uploads()) > 0
	}
	return false
}

func (s objectSchema) Updated(tx rt.Tx, old, new *Object) error {
	var before, after Object
	if old != nil {
		before = *old
	}
	if new != nil {
		after = *new
	}
	if err := s.t.count(tx, before, after); err != nil {
		return err
	}
	if err := s.t.indexUploads(tx, before, after); err != nil {
		return err
	}
	if old == nil || new == nil {
		return nil // a new entry drops nothing; one leaving this node is not deleted
	}
	for _, v := range old.Versions {
		if err := s.t.propagate(tx, *old, v, *new); err != nil {
			return err
		}
	}
	return nil
}

// propagate deletes what version v of old left behind in new: its version
// entry if new dropped or aborted it, its upload entry if it was a
// multipart upload that new no longer has in progress.
func (t *Tables) propagate(tx rt.Tx, old Object, v ObjectVersion, new Object) error {
	nv, kept := new.Version(v.UUID)
	dropped := !kept || (nv.State.Kind == Aborted && v.State.Kind != Aborted)
	if dropped && hasBlocks(v) {
		if err := t.Versions.QueueInsert(tx, DeletedVersion(v.UUID, ObjectLink(old.Bucket, old.Key))); err != nil {
			return err
		}
	}
	if v.State.Kind == Uploading && v.State.Multipart && (!kept || nv.State.Kind != Uploading) {
		m := NewMPU(v.UUID, v.TS, old.Bucket, old.Key)
		m.Deleted = true
		return t.MPUs.QueueInsert(tx, m)
	}
	return nil
}

// hasBlocks reports whether version v may have an entry in the version
// table: every version but complete inline data and delete markers,
// which the object row holds whole.
func hasBlocks(v ObjectVersion) bool {
	return v.State.Kind != Complete || v.State.Data == FirstBlock
}

// counterLocal is the tree of this node's own counts per bucket: bucket
// id -> counts || timestamp of the last publication.
const counterLocal = CounterTable + "/local"

// count adds new's counts minus old's to the bucket's local counters and
// publishes them (through the counter table's insert queue).
func (t *Tables) count(tx rt.Tx, old, new Object) error {
	d := new.Counts().Sub(old.Counts())
	if d == (Counts{}) {
		return nil
	}
	bucket := new.Bucket
	if len(new.Versions) == 0 {
		bucket = old.Bucket
	}
	cur, ts, err := localCounts(tx, bucket)
	if err != nil {
		return err
	}
	cur, ts = cur.Add(d), crdt.NextTimestamp(uint64(max(t.env.Clock.Now().UnixMilli(), 0)), ts)
	if err := tx.Put(counterLocal, bucket[:], appendU64(cur.Encode(nil), ts)); err != nil {
		return err
	}
	var c Counter
	c.Bucket, c.Nodes = bucket, c.Nodes.Put(crdt.String(t.env.ID), crdt.NewLWW(ts, cur))
	return t.Counters.QueueInsert(tx, c)
}

func localCounts(tx rt.ReadTx, bucket UUID) (Counts, uint64, error) {
	b, err := tx.Get(counterLocal, bucket[:])
	if err != nil || b == nil {
		return Counts{}, 0, err
	}
	d := decoder{b: b}
	c, ts := read[Counts](&d), d.u64()
	if _, err := d.done("local counts"); err != nil || len(d.b) != 0 {
		return Counts{}, 0, fmt.Errorf("local counts of bucket %s: %v", bucket, err)
	}
	return c, ts, nil
}

// uploadIndex is the tree of this node's versions uploading outside a
// multipart upload: ts || bucket || version id || key -> nothing. The
// abort worker reads it to abort uploads whose coordinator vanished.
const uploadIndex = ObjectTable + "/uploading"

func uploadKey(o Object, v ObjectVersion) []byte {
	k := binary.BigEndian.AppendUint64(nil, v.TS)
	k = append(append(k, o.Bucket[:]...), v.UUID[:]...)
	return append(k, o.Key...)
}

// indexUploads keeps uploadIndex in step with the object's versions.
func (t *Tables) indexUploads(tx rt.Tx, old, new Object) error {
	for _, v := range old.Versions {
		if plainUpload(v) && !plainUploadIn(new, v.UUID) {
			if err := tx.Delete(uploadIndex, uploadKey(old, v)); err != nil {
				return err
			}
		}
	}
	for _, v := range new.Versions {
		if plainUpload(v) && !plainUploadIn(old, v.UUID) {
			if err := tx.Put(uploadIndex, uploadKey(new, v), []byte{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func plainUpload(v ObjectVersion) bool { return v.State.Kind == Uploading && !v.State.Multipart }

func plainUploadIn(o Object, u UUID) bool {
	v, ok := o.Version(u)
	return ok && plainUpload(v)
}

// StaleUpload is a version found uploading in uploadIndex.
type StaleUpload struct {
	Bucket UUID
	Key    string
	UUID   UUID
	TS     uint64
}

// StaleUploads returns up to limit versions this node stores that have
// been uploading (outside multipart uploads) since before ts (ms).
func (t *Tables) StaleUploads(ts uint64, limit int) ([]StaleUpload, error) {
	var out []StaleUpload
	end := binary.BigEndian.AppendUint64(nil, ts)
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(uploadIndex, nil, end, false, func(k, _ []byte) bool {
			if len(k) >= 8+64 {
				out = append(out, StaleUpload{TS: binary.BigEndian.Uint64(k), Bucket: UUID(k[8:40]),
					UUID: UUID(k[40:72]), Key: string(k[72:])})
			}
			return len(out) < limit
		})
	})
	return out, err
}
