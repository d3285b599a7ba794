package model

import (
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
)

// decoder reads a canonical encoding field by field; the first error
// sticks and later reads return zero values.
type decoder struct {
	b   []byte
	err error
}

// read decodes one crdt.Value from d.
func read[T crdt.Value[T]](d *decoder) T {
	var zero T
	if d.err != nil {
		return zero
	}
	v, rest, err := zero.Decode(d.b)
	if err != nil {
		d.err = err
		return zero
	}
	d.b = rest
	return v
}

func (d *decoder) str() string   { return string(read[crdt.String](d)) }
func (d *decoder) u64() uint64   { return uint64(read[crdt.Uint64](d)) }
func (d *decoder) flag() bool    { return bool(read[crdt.Bool](d)) }
func (d *decoder) bytes() []byte { return []byte(read[crdt.Bytes](d)) }

// fixed32 reads 32 raw bytes.
func (d *decoder) fixed32() [32]byte {
	var out [32]byte
	if d.err != nil {
		return out
	}
	if len(d.b) < 32 {
		d.fail("32 bytes needed, %d left", len(d.b))
		return out
	}
	copy(out[:], d.b)
	d.b = d.b[32:]
	return out
}

// tag reads a one-byte tag below limit.
func (d *decoder) tag(limit byte) byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 || d.b[0] >= limit {
		d.fail("bad tag")
		return 0
	}
	t := d.b[0]
	d.b = d.b[1:]
	return t
}

// check fails the decoding unless ok: for states that have another
// canonical encoding.
func (d *decoder) check(ok bool, what string) {
	if !ok && d.err == nil {
		d.fail("not canonical: %s", what)
	}
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format+": %w", append(args, crdt.ErrMalformed)...)
	}
}

// done returns the rest of the input, or the sticky error wrapped with
// what was being decoded.
func (d *decoder) done(what string) ([]byte, error) {
	if d.err != nil {
		return nil, fmt.Errorf("decode %s: %w", what, d.err)
	}
	return d.b, nil
}

func appendStr(b []byte, s string) []byte { return crdt.String(s).Encode(b) }
func appendU64(b []byte, x uint64) []byte { return crdt.Uint64(x).Encode(b) }
func appendBool(b []byte, v bool) []byte  { return crdt.Bool(v).Encode(b) }
func appendBytes(b, p []byte) []byte      { return crdt.Bytes(p).Encode(b) }

// Pair is a map key made of two numbers, ordered by the first, then the
// second: (part number, offset) in a version's block list, (part number,
// timestamp) in a multipart upload's parts. It is 16 bytes, both numbers
// big-endian, so that string order is numeric order.
type Pair string

// NewPair returns the key (a, b).
func NewPair(a, b uint64) Pair {
	return Pair(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, a), b))
}

// A returns the first number.
func (p Pair) A() uint64 { return binary.BigEndian.Uint64([]byte(p[:8])) }

// B returns the second number.
func (p Pair) B() uint64 { return binary.BigEndian.Uint64([]byte(p[8:])) }

func (p Pair) String() string { return fmt.Sprintf("(%d,%d)", p.A(), p.B()) }

// Encode appends the 16 bytes.
func (p Pair) Encode(b []byte) []byte { return append(b, p...) }

// Decode reads 16 bytes.
func (Pair) Decode(b []byte) (Pair, []byte, error) {
	if len(b) < 16 {
		return "", nil, fmt.Errorf("decode pair: %d bytes left: %w", len(b), crdt.ErrMalformed)
	}
	return Pair(b[:16]), b[16:], nil
}

// Pick is a CRDT for values that replicas normally agree on (a block's
// hash and size, a backlink): on a disagreement Merge keeps the value
// with the greater canonical encoding, so that replicas still converge.
type Pick[T crdt.Value[T]] struct{ V T }

// Merge keeps the value with the greater encoding.
func (p Pick[T]) Merge(o Pick[T]) Pick[T] {
	if string(crdt.Marshal(o.V)) > string(crdt.Marshal(p.V)) {
		return o
	}
	return p
}

// Encode appends the value's encoding.
func (p Pick[T]) Encode(b []byte) []byte { return p.V.Encode(b) }

// Decode reads the value.
func (Pick[T]) Decode(b []byte) (Pick[T], []byte, error) {
	var zero T
	v, rest, err := zero.Decode(b)
	return Pick[T]{V: v}, rest, err
}
