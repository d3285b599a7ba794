package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
)

// Register is one last-writer-wins register value: a timestamp in
// milliseconds since the Unix epoch, and either a value or a tombstone.
type Register struct {
	TS      uint64
	Deleted bool
	Value   []byte
}

// Newer reports whether r wins over o in a merge: a larger timestamp wins;
// on equal timestamps a tombstone wins, then the larger value (bytewise), so
// that merge is a total, deterministic order.
func (r Register) Newer(o Register) bool {
	if r.TS != o.TS {
		return r.TS > o.TS
	}
	if r.Deleted != o.Deleted {
		return r.Deleted
	}
	return bytes.Compare(r.Value, o.Value) > 0
}

// Merge returns the winner of r and o. It is commutative, associative and
// idempotent.
func Merge(r, o Register) Register {
	if o.Newer(r) {
		return o
	}
	return r
}

// IsZero reports whether r is the empty register (never written).
func (r Register) IsZero() bool { return r.TS == 0 && !r.Deleted && r.Value == nil }

// NextTimestamp is the timestamp rule of Garage: at least the local clock,
// and strictly newer than the newest version known.
func NextTimestamp(nowMs, newest uint64) uint64 {
	return crdt.NextTimestamp(nowMs, newest)
}

// errCorrupt marks an undecodable register encoding.
var errCorrupt = errors.New("table: corrupt register encoding")

// Encode appends the binary encoding of r to b: ts (8 bytes, big endian),
// flags (1 byte: bit 0 = deleted, bit 1 = present), value.
func (r Register) Encode(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, r.TS)
	var flags byte
	if r.Deleted {
		flags |= 1
	}
	if r.Value != nil {
		flags |= 2
	}
	b = append(b, flags)
	return append(b, r.Value...)
}

// DecodeRegister decodes the encoding made by Encode. The value is copied.
func DecodeRegister(b []byte) (Register, error) {
	if len(b) < 9 || b[8]&^3 != 0 {
		return Register{}, fmt.Errorf("%w (%d bytes)", errCorrupt, len(b))
	}
	r := Register{TS: binary.BigEndian.Uint64(b), Deleted: b[8]&1 != 0}
	if b[8]&2 != 0 {
		r.Value = append([]byte{}, b[9:]...)
	}
	return r, nil
}
