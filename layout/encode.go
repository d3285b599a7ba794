package layout

import (
	"encoding/binary"
	"slices"
)

// encoder appends the Format 2 encoding of a value (see Format) to b.
type encoder struct {
	b     []byte
	table []string       // the string table, sorted once complete
	index map[string]int // position of each string in table
}

// newEncoder returns an encoder with room for hint bytes.
func newEncoder(hint int) *encoder {
	return &encoder{b: make([]byte, 0, hint), index: make(map[string]int, 64)}
}

// add puts s in the string table, unless it is there.
func (e *encoder) add(s string) {
	if _, ok := e.index[s]; !ok {
		e.index[s] = 0
		e.table = append(e.table, s)
	}
}

// header sorts the string table and writes the header of a value of
// kind, then the table.
func (e *encoder) header(kind byte) {
	slices.Sort(e.table)
	e.b = append(e.b, Format, kind)
	e.uvarint(uint64(len(e.table)))
	for i, s := range e.table {
		e.index[s] = i
		e.uvarint(uint64(len(s)))
		e.b = append(e.b, s...)
	}
}

// uvarint appends x as an unsigned varint.
func (e *encoder) uvarint(x uint64) { e.b = binary.AppendUvarint(e.b, x) }

// varint appends x as a zig-zag signed varint.
func (e *encoder) varint(x int64) { e.b = binary.AppendVarint(e.b, x) }

// bool appends b as one byte, 0 or 1.
func (e *encoder) bool(b bool) {
	var x byte
	if b {
		x = 1
	}
	e.b = append(e.b, x)
}

// str appends the index of s in the string table, which holds it.
func (e *encoder) str(s string) {
	i, ok := e.index[s]
	if !ok {
		panic("layout: string " + s + " missing from the encoding's table")
	}
	e.uvarint(uint64(i))
}

// history appends the body of h.
func (e *encoder) history(h *History) {
	e.versions(h.Versions)
	e.versions(h.Old)
	for _, t := range []Tracker{h.Trackers.Ack, h.Trackers.Sync, h.Trackers.SyncAck} {
		e.tracker(t)
	}
	e.staging(&h.Staging)
}

// versions appends a list of versions.
func (e *encoder) versions(vs []Version) {
	e.uvarint(uint64(len(vs)))
	for i := range vs {
		e.version(&vs[i])
	}
}

// version appends the body of v; its Storage is implied by the members.
func (e *encoder) version(v *Version) {
	e.uvarint(v.Number)
	e.varint(int64(v.Params.Replication))
	e.varint(int64(v.Params.Redundancy))
	e.varint(int64(v.Params.PartitionBits))
	e.varint(v.PartitionSize)
	e.uvarint(uint64(len(v.Members)))
	for _, m := range v.Members {
		e.str(string(m.ID))
		e.role(m.Role)
	}
	e.ring(v.Ring, len(v.Storage))
}

// role appends r.
func (e *encoder) role(r Role) {
	e.str(r.Zone)
	e.varint(r.Capacity)
	e.bool(r.Gateway)
	e.uvarint(uint64(len(r.Tags)))
	for _, t := range r.Tags {
		e.str(t)
	}
}

// ring appends ring packed at the width storage nodes need.
func (e *encoder) ring(ring []uint16, storage int) {
	e.uvarint(uint64(len(ring)))
	if ringWidth(storage) == 1 {
		for _, x := range ring {
			e.b = append(e.b, byte(x))
		}
		return
	}
	for _, x := range ring {
		e.b = binary.BigEndian.AppendUint16(e.b, x)
	}
}

// ringWidth is the number of bytes of a ring index among storage nodes.
func ringWidth(storage int) int {
	if storage <= 1<<8 {
		return 1
	}
	return 2
}

// tracker appends t.
func (e *encoder) tracker(t Tracker) {
	e.uvarint(uint64(len(t)))
	for _, te := range t {
		e.str(string(te.Node))
		e.uvarint(te.Version)
	}
}

// staging appends s.
func (e *encoder) staging(s *Staging) {
	e.uvarint(uint64(s.Stamp))
	e.uvarint(uint64(s.Redundancy.Stamp))
	e.varint(int64(s.Redundancy.Value))
	e.uvarint(uint64(len(s.Roles)))
	for _, r := range s.Roles {
		e.str(string(r.Node))
		e.uvarint(uint64(r.Stamp))
		e.bool(r.Remove)
		e.role(r.Role)
	}
}

// eachString calls fn with every string h's encoding names, repeats
// included.
func (h *History) eachString(fn func(string)) {
	for _, vs := range [][]Version{h.Versions, h.Old} {
		for i := range vs {
			vs[i].eachString(fn)
		}
	}
	for _, t := range []Tracker{h.Trackers.Ack, h.Trackers.Sync, h.Trackers.SyncAck} {
		for _, te := range t {
			fn(string(te.Node))
		}
	}
	for _, r := range h.Staging.Roles {
		fn(string(r.Node))
		r.Role.eachString(fn)
	}
}

// eachString calls fn with every string v's encoding names.
func (v *Version) eachString(fn func(string)) {
	for _, m := range v.Members {
		fn(string(m.ID))
		m.Role.eachString(fn)
	}
}

// eachString calls fn with r's zone and tags.
func (r Role) eachString(fn func(string)) {
	fn(r.Zone)
	for _, t := range r.Tags {
		fn(t)
	}
}

// sizeHint estimates the size of h's encoding, to allocate once.
func (h *History) sizeHint() int {
	n := 64 + 16*len(h.Staging.Roles)
	for _, vs := range [][]Version{h.Versions, h.Old} {
		for i := range vs {
			n += vs[i].sizeHint()
		}
	}
	t := h.Trackers
	return n + 8*(len(t.Ack)+len(t.Sync)+len(t.SyncAck))
}

// sizeHint estimates the size of v's encoding, ids included.
func (v *Version) sizeHint() int {
	n := 32 + 2*len(v.Ring)
	for _, m := range v.Members {
		n += 24 + len(m.ID)
	}
	return n
}
