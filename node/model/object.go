package model

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/gogarage/garage/node/table"
)

// StateKind is the stage of an object version.
type StateKind uint8

// Version stages, as in Garage: a version is uploaded, then complete, or
// aborted (a failed or abandoned upload, never visible). See
// VersionState.Merge for how they merge.
const (
	Uploading StateKind = iota
	Complete
	Aborted
)

func (k StateKind) String() string {
	return [...]string{"uploading", "complete", "aborted"}[k]
}

// DataKind is what a complete version holds.
type DataKind uint8

// Complete versions hold a delete marker, their data inline (objects
// under InlineMax bytes) or the hash of their first block (the rest of
// the block list is in the version table).
const (
	DeleteMarker DataKind = iota
	Inline
	FirstBlock
)

// VersionState is the state of an object version. Fields a stage does
// not use are zero (and not encoded).
type VersionState struct {
	Kind StateKind
	// Multipart marks an upload made of parts (Uploading only).
	Multipart bool
	// Data says what a complete version holds (Complete only).
	Data DataKind
	// Meta holds, while uploading, the headers, checksum algorithm and
	// encryption the upload will store; once complete (but for a delete
	// marker), the version's metadata.
	Meta   Meta
	Inline []byte // Complete with Inline data
	Block  Hash   // Complete with a FirstBlock
}

// Encode appends the stage tag and what the stage uses.
func (s VersionState) Encode(b []byte) []byte {
	b = append(b, byte(s.Kind))
	switch s.Kind {
	case Uploading:
		return s.Meta.Encode(appendBool(b, s.Multipart))
	case Complete:
		b = append(b, byte(s.Data))
		switch s.Data {
		case Inline:
			return appendBytes(s.Meta.Encode(b), s.Inline)
		case FirstBlock:
			return append(s.Meta.Encode(b), s.Block[:]...)
		}
	}
	return b
}

// Decode reads a VersionState.
func (VersionState) Decode(b []byte) (VersionState, []byte, error) {
	d := decoder{b: b}
	s := VersionState{Kind: StateKind(d.tag(3))}
	switch s.Kind {
	case Uploading:
		s.Multipart, s.Meta = d.flag(), read[Meta](&d)
	case Complete:
		s.Data = DataKind(d.tag(3))
		switch s.Data {
		case Inline:
			s.Meta, s.Inline = read[Meta](&d), d.bytes()
		case FirstBlock:
			s.Meta, s.Block = read[Meta](&d), Hash(d.fixed32())
		}
	}
	rest, err := d.done("version state")
	return s, rest, err
}

// Merge merges two states of the same version: complete wins, then
// aborted, then uploading; between two states of the same stage (which
// replicas normally agree on) the greater encoding wins. Complete is the
// top so that it is final: the pruning of Object.Merge, which drops the
// versions older than the newest complete one, then depends on nothing a
// later merge could undo (Garage lets an abort override a completion,
// which makes its merge depend on the order of merges). The object
// service never aborts a version it may have completed (see
// node/object).
func (s VersionState) Merge(o VersionState) VersionState {
	switch rs, ro := s.Kind.rank(), o.Kind.rank(); {
	case rs > ro:
		return s
	case ro > rs:
		return o
	case bytes.Compare(o.Encode(nil), s.Encode(nil)) > 0:
		return o
	}
	return s
}

// rank orders the stages for Merge.
func (k StateKind) rank() int { return [...]int{Uploading: 0, Aborted: 1, Complete: 2}[k] }

// IsData reports whether s is a complete version with data (not a delete
// marker).
func (s VersionState) IsData() bool { return s.Kind == Complete && s.Data != DeleteMarker }

// ObjectVersion is one version of an object, identified by its UUID and
// ordered by (TS, UUID).
type ObjectVersion struct {
	UUID  UUID
	TS    uint64 // ms: the LWW timestamp and the Last-Modified date
	State VersionState
}

func (v ObjectVersion) cmp(o ObjectVersion) int {
	if c := cmp.Compare(v.TS, o.TS); c != 0 {
		return c
	}
	return bytes.Compare(v.UUID[:], o.UUID[:])
}

// Object is a row of the object table (sharded by bucket): the versions
// of one key of one bucket, oldest first. Merge keeps the union of the
// versions (merging the states of the same version) and then drops those
// older than the newest complete one, so an object holds one complete
// version and the uploads that began after it.
type Object struct {
	Bucket   UUID
	Key      string
	Versions []ObjectVersion
}

var _ table.Entry[Object] = Object{}

// NewObject returns the object (bucket, key) holding version v.
func NewObject(bucket UUID, key string, v ObjectVersion) Object {
	return Object{Bucket: bucket, Key: key, Versions: []ObjectVersion{v}}
}

// PartitionKey is the bucket id: a bucket's objects live together, in key
// order.
func (o Object) PartitionKey() []byte { return o.Bucket[:] }

// SortKey is the object key.
func (o Object) SortKey() []byte { return []byte(o.Key) }

// Merge merges two states of the same object.
func (o Object) Merge(x Object) Object { return o.mergeWith(x, VersionState.Merge) }

// mergeWith is Merge with the merge of version states as a parameter, so
// that tests can show why VersionState.Merge is what it is.
func (o Object) mergeWith(x Object, merge func(a, b VersionState) VersionState) Object {
	vs := make([]ObjectVersion, 0, len(o.Versions)+len(x.Versions))
	i, j := 0, 0
	for i < len(o.Versions) && j < len(x.Versions) {
		switch c := o.Versions[i].cmp(x.Versions[j]); {
		case c < 0:
			vs, i = append(vs, o.Versions[i]), i+1
		case c > 0:
			vs, j = append(vs, x.Versions[j]), j+1
		default:
			v := o.Versions[i]
			v.State = merge(v.State, x.Versions[j].State)
			vs, i, j = append(vs, v), i+1, j+1
		}
	}
	vs = append(append(vs, o.Versions[i:]...), x.Versions[j:]...)
	return Object{Bucket: o.Bucket, Key: o.Key, Versions: prune(vs)}
}

// prune drops the versions before the last complete one.
func prune(vs []ObjectVersion) []ObjectVersion {
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].State.Kind == Complete {
			return vs[i:]
		}
	}
	return vs
}

// Encode appends the bucket, the key and the versions.
func (o Object) Encode(b []byte) []byte {
	b = appendStr(o.Bucket.Encode(b), o.Key)
	b = appendU64(b, uint64(len(o.Versions)))
	for _, v := range o.Versions {
		b = v.State.Encode(appendU64(v.UUID.Encode(b), v.TS))
	}
	return b
}

// Decode reads an Object; its versions must be in order and pruned.
func (Object) Decode(b []byte) (Object, []byte, error) {
	d := decoder{b: b}
	o := Object{Bucket: read[UUID](&d), Key: d.str()}
	n := d.u64()
	d.check(n <= uint64(len(d.b)), "version count")
	for i := uint64(0); i < n && d.err == nil; i++ {
		v := ObjectVersion{UUID: read[UUID](&d), TS: d.u64(), State: read[VersionState](&d)}
		d.check(i == 0 || o.Versions[i-1].cmp(v) < 0, "versions out of order")
		o.Versions = append(o.Versions, v)
	}
	d.check(len(prune(o.Versions)) == len(o.Versions), "versions not pruned")
	rest, err := d.done("object")
	return o, rest, err
}

// Current returns the newest complete version (data or delete marker).
func (o Object) Current() (ObjectVersion, bool) {
	for i := len(o.Versions) - 1; i >= 0; i-- {
		if o.Versions[i].State.Kind == Complete {
			return o.Versions[i], true
		}
	}
	return ObjectVersion{}, false
}

// Visible returns the version a GET serves: the newest complete version,
// unless it is a delete marker.
func (o Object) Visible() (ObjectVersion, bool) {
	v, ok := o.Current()
	if !ok || !v.State.IsData() {
		return ObjectVersion{}, false
	}
	return v, true
}

// Version returns the version with id u.
func (o Object) Version(u UUID) (ObjectVersion, bool) {
	i := slices.IndexFunc(o.Versions, func(v ObjectVersion) bool { return v.UUID == u })
	if i < 0 {
		return ObjectVersion{}, false
	}
	return o.Versions[i], true
}

// Stamp returns the newest timestamp of any version (0 if none): what a
// new version must be newer than.
func (o Object) Stamp() uint64 {
	var ts uint64
	for _, v := range o.Versions {
		ts = max(ts, v.TS)
	}
	return ts
}

// Uploads returns the versions being uploaded in parts.
func (o Object) Uploads() []ObjectVersion {
	var out []ObjectVersion
	for _, v := range o.Versions {
		if v.State.Kind == Uploading && v.State.Multipart {
			out = append(out, v)
		}
	}
	return out
}

// IsTombstone reports whether the object holds nothing worth keeping: a
// lone delete marker, or only aborted versions.
func (o Object) IsTombstone() bool {
	if len(o.Versions) == 1 && o.Versions[0].State.Kind == Complete && o.Versions[0].State.Data == DeleteMarker {
		return true
	}
	for _, v := range o.Versions {
		if v.State.Kind != Aborted {
			return false
		}
	}
	return len(o.Versions) > 0
}

// Counts returns what the object adds to its bucket's counters.
func (o Object) Counts() Counts {
	var c Counts
	if v, ok := o.Visible(); ok {
		c.Objects, c.Bytes = 1, int64(v.State.Meta.Size)
	}
	c.Uploads = int64(len(o.Uploads()))
	return c
}
