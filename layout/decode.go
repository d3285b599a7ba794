package layout

import (
	"encoding/binary"
	"fmt"
)

// decoder reads a Format 2 encoding (see Format). Its error is sticky:
// after the first failure every read returns a zero value, so callers check
// once at the end (finish) and never act on a partial value.
type decoder struct {
	b       []byte
	off     int
	err     error
	strings []string
	used    []bool // used[i]: strings[i] was named
}

// newDecoder checks the header of b for a value of kind and reads the
// string table.
func newDecoder(b []byte, kind byte) (*decoder, error) {
	switch {
	case len(b) < 2:
		return nil, fmt.Errorf("%d bytes: %w", len(b), errShort)
	case b[0] != Format:
		return nil, fmt.Errorf("unknown format byte %#02x: want %d, or '{' for the JSON of format %d", b[0], Format, formatJSON)
	case b[1] != kind:
		return nil, fmt.Errorf("encoding of kind %q, want %q", b[1], kind)
	}
	d := &decoder{b: b, off: 2}
	d.readStrings()
	return d, d.err
}

// fail records the first error, with the offset where it was found.
func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %w", d.off, err)
	}
}

// failf records a formatted error.
func (d *decoder) failf(format string, args ...any) { d.fail(fmt.Errorf(format, args...)) }

// finish reports the first error, trailing bytes or an unused string.
func (d *decoder) finish() error {
	if d.err == nil && d.off != len(d.b) {
		d.failf("%d trailing bytes", len(d.b)-d.off)
	}
	for i, u := range d.used {
		if !u && d.err == nil {
			d.failf("string %d (%q) is never used", i, d.strings[i])
		}
	}
	return d.err
}

// next returns the next n bytes, or nil once failed.
func (d *decoder) next(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b)-d.off {
		d.failf("%d bytes wanted, %d left: %w", n, len(d.b)-d.off, errShort)
		return nil
	}
	d.off += n
	return d.b[d.off-n : d.off]
}

// uvarint reads an unsigned varint in its shortest form.
func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	if d.off < len(d.b) && d.b[d.off] < 0x80 { // most are one byte
		d.off++
		return uint64(d.b[d.off-1])
	}
	x, n := binary.Uvarint(d.b[d.off:])
	switch {
	case n == 0:
		d.fail(fmt.Errorf("varint: %w", errShort))
	case n < 0:
		d.failf("varint overflows 64 bits")
	case n > 1 && d.b[d.off+n-1] == 0:
		d.failf("varint not in its shortest form")
	default:
		d.off += n
		return x
	}
	return 0
}

// varint reads a zig-zag signed varint in its shortest form.
func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// int reads a signed varint that fits an int.
func (d *decoder) int() int {
	x := d.varint()
	if int64(int(x)) != x {
		d.failf("integer %d overflows int", x)
		return 0
	}
	return int(x)
}

// count reads a list length, each element taking at least size bytes, and
// fails if the rest of the input cannot hold that many: a bad count must
// not make the decoder allocate.
func (d *decoder) count(size int) int {
	n := d.uvarint()
	if left := uint64(len(d.b) - d.off); n > left/uint64(size) {
		d.failf("count %d, but %d bytes left", n, left)
		return 0
	}
	return int(n)
}

// bool reads a byte that must be 0 or 1.
func (d *decoder) bool() bool {
	b := d.next(1)
	if b == nil {
		return false
	}
	if b[0] > 1 {
		d.failf("boolean %d", b[0])
	}
	return b[0] == 1
}

// readStrings reads the string table. The strings share one allocation;
// they live as long as the decoded value anyway.
func (d *decoder) readStrings() {
	n := d.count(1)
	start, spans := d.off, make([][2]int, n)
	for i := range spans {
		l := d.count(1)
		spans[i] = [2]int{d.off - start, d.off - start + l}
		d.next(l)
	}
	if d.err != nil {
		return
	}
	all := string(d.b[start:d.off])
	d.strings, d.used = make([]string, n), make([]bool, n)
	for i, sp := range spans {
		d.strings[i] = all[sp[0]:sp[1]]
	}
	d.checkStrings()
}

// checkStrings fails unless the string table is sorted and distinct, as
// the encoder writes it.
func (d *decoder) checkStrings() {
	for i := 1; i < len(d.strings); i++ {
		if d.strings[i] <= d.strings[i-1] {
			d.failf("string %d (%q) is not after %q", i, d.strings[i], d.strings[i-1])
			return
		}
	}
}

// str reads a string index and returns the string it names.
func (d *decoder) str() string {
	i := d.uvarint()
	if d.err != nil {
		return ""
	}
	if i >= uint64(len(d.strings)) {
		d.failf("string index %d, table has %d", i, len(d.strings))
		return ""
	}
	d.used[i] = true
	return d.strings[i]
}

// history reads the body of a history.
func (d *decoder) history() *History {
	h := &History{Versions: d.versions(), Old: d.versions()}
	h.Trackers = Trackers{Ack: d.tracker(), Sync: d.tracker(), SyncAck: d.tracker()}
	h.Staging = d.staging()
	return h
}

// versions reads a list of versions.
func (d *decoder) versions() []Version {
	n := d.count(7)
	if n == 0 {
		return nil
	}
	vs := make([]Version, n)
	for i := range vs {
		vs[i] = d.version()
	}
	return vs
}

// version reads the body of a version and derives its Storage.
func (d *decoder) version() Version {
	v := Version{Number: d.uvarint()}
	v.Params = Params{Replication: d.int(), Redundancy: ZoneRedundancy(d.int()), PartitionBits: d.int()}
	v.PartitionSize = d.varint()
	v.Members = d.members()
	v.Storage = storageOf(v.Members)
	v.Ring = d.ring(len(v.Storage))
	return v
}

// members reads the members of a version.
func (d *decoder) members() []Member {
	n := d.count(5)
	if n == 0 {
		return nil
	}
	ms := make([]Member, n)
	for i := range ms {
		ms[i] = Member{ID: NodeID(d.str()), Role: d.role()}
	}
	return ms
}

// storageOf returns the ids of the storage members, in order.
func storageOf(ms []Member) []NodeID {
	out := make([]NodeID, 0, len(ms))
	for _, m := range ms {
		if !m.Role.Gateway {
			out = append(out, m.ID)
		}
	}
	return out
}

// role reads a role.
func (d *decoder) role() Role {
	r := Role{Zone: d.str(), Capacity: d.varint(), Gateway: d.bool()}
	if n := d.count(1); n > 0 {
		r.Tags = make([]string, n)
		for i := range r.Tags {
			r.Tags[i] = d.str()
		}
	}
	return r
}

// ring reads a ring packed at the width storage nodes need.
func (d *decoder) ring(storage int) []uint16 {
	w := ringWidth(storage)
	n := d.count(w)
	b := d.next(n * w)
	if n == 0 || b == nil {
		return nil
	}
	ring := make([]uint16, n)
	if w == 1 {
		for i, x := range b {
			ring[i] = uint16(x)
		}
		return ring
	}
	for i := range ring {
		ring[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return ring
}

// tracker reads a tracker.
func (d *decoder) tracker() Tracker {
	n := d.count(2)
	if n == 0 {
		return nil
	}
	t := make(Tracker, n)
	for i := range t {
		t[i] = TrackerEntry{Node: NodeID(d.str()), Version: d.uvarint()}
	}
	return t
}

// staging reads a staging.
func (d *decoder) staging() Staging {
	s := Staging{Stamp: Timestamp(d.uvarint())}
	s.Redundancy = StagedParam{Stamp: Timestamp(d.uvarint()), Value: ZoneRedundancy(d.int())}
	n := d.count(7)
	if n == 0 {
		return s
	}
	s.Roles = make([]StagedRole, n)
	for i := range s.Roles {
		s.Roles[i] = StagedRole{Node: NodeID(d.str()), Stamp: Timestamp(d.uvarint()), Remove: d.bool(), Role: d.role()}
	}
	return s
}
