package model

import (
	"bytes"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/table"
)

// MPUPart is one upload of one part: the version holding its blocks and,
// once the upload finished, its ETag (hex MD5) and size. A part number
// uploaded twice has two entries; the newest finished one counts.
type MPUPart struct {
	Version UUID
	ETag    string // "" while uploading
	Size    uint64
}

// Merge keeps the greatest of each field (replicas normally agree; the
// upload only ever sets the ETag and size once).
func (p MPUPart) Merge(o MPUPart) MPUPart {
	if bytes.Compare(o.Version[:], p.Version[:]) > 0 {
		p.Version = o.Version
	}
	return MPUPart{Version: p.Version, ETag: max(p.ETag, o.ETag), Size: max(p.Size, o.Size)}
}

// Encode appends the version, the ETag and the size.
func (p MPUPart) Encode(b []byte) []byte {
	return appendU64(appendStr(p.Version.Encode(b), p.ETag), p.Size)
}

// Decode reads an MPUPart.
func (MPUPart) Decode(b []byte) (MPUPart, []byte, error) {
	d := decoder{b: b}
	p := MPUPart{Version: read[UUID](&d), ETag: d.str(), Size: d.u64()}
	rest, err := d.done("upload part")
	return p, rest, err
}

// UploadHead is what a multipart upload is of; it never changes.
type UploadHead struct {
	TS     uint64 // the timestamp of the object version being uploaded
	Bucket UUID
	Key    string
}

// Encode appends the fields.
func (h UploadHead) Encode(b []byte) []byte {
	return appendStr(h.Bucket.Encode(appendU64(b, h.TS)), h.Key)
}

// Decode reads an UploadHead.
func (UploadHead) Decode(b []byte) (UploadHead, []byte, error) {
	d := decoder{b: b}
	h := UploadHead{TS: d.u64(), Bucket: read[UUID](&d), Key: d.str()}
	rest, err := d.done("upload head")
	return h, rest, err
}

// MPU is a row of the multipart_upload table (sharded by upload id): the
// parts uploaded so far, keyed by (part number, timestamp). The upload id
// is the id of the object version it completes into. Once deleted
// (completed or aborted) it forgets its parts; its hook then deletes
// their versions.
type MPU struct {
	Upload  UUID
	Head    Pick[UploadHead]
	Deleted crdt.Bool
	Parts   crdt.Map[Pair, MPUPart]
}

var _ table.Entry[MPU] = MPU{}

// NewMPU returns the upload id of object (bucket, key) begun at ts.
func NewMPU(id UUID, ts uint64, bucket UUID, key string) MPU {
	return MPU{Upload: id, Head: Pick[UploadHead]{V: UploadHead{TS: ts, Bucket: bucket, Key: key}}}
}

// WithPart returns m with the part upload (number, ts).
func (m MPU) WithPart(number, ts uint64, p MPUPart) MPU {
	m.Parts = m.Parts.Put(NewPair(number, ts), p)
	return m
}

// PartitionKey is the upload id.
func (m MPU) PartitionKey() []byte { return m.Upload[:] }

// SortKey is empty.
func (MPU) SortKey() []byte { return nil }

// Merge merges two states of the same upload.
func (m MPU) Merge(o MPU) MPU {
	r := MPU{Upload: m.Upload, Head: m.Head.Merge(o.Head), Deleted: m.Deleted.Merge(o.Deleted)}
	if !r.Deleted {
		r.Parts = m.Parts.Merge(o.Parts)
	}
	return r
}

// Encode appends the id, the head, the flag and the parts.
func (m MPU) Encode(b []byte) []byte {
	return m.Parts.Encode(m.Deleted.Encode(m.Head.Encode(m.Upload.Encode(b))))
}

// Decode reads an MPU; a deleted one has no parts.
func (MPU) Decode(b []byte) (MPU, []byte, error) {
	d := decoder{b: b}
	m := MPU{Upload: read[UUID](&d), Head: read[Pick[UploadHead]](&d), Deleted: read[crdt.Bool](&d),
		Parts: read[crdt.Map[Pair, MPUPart]](&d)}
	d.check(!bool(m.Deleted) || m.Parts.Len() == 0, "deleted upload with parts")
	rest, err := d.done("multipart upload")
	return m, rest, err
}

// Part is the current upload of one part number.
type Part struct {
	Number, TS uint64
	MPUPart
}

// LatestParts returns, per part number in order, the newest finished
// upload of it.
func (m MPU) LatestParts() []Part {
	var out []Part
	for k, p := range m.Parts.All() {
		if p.ETag == "" {
			continue
		}
		n := len(out)
		if n > 0 && out[n-1].Number == k.A() {
			out = out[:n-1] // keys ascend: this upload is newer
		}
		out = append(out, Part{Number: k.A(), TS: k.B(), MPUPart: p})
	}
	return out
}
