package crdt

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every decoding error: truncated input, a
// non-minimal varint, an unknown tag, or map keys out of order.
var ErrMalformed = errors.New("crdt: malformed encoding")

// appendUvarint appends x as a minimal unsigned varint.
func appendUvarint(b []byte, x uint64) []byte {
	return binary.AppendUvarint(b, x)
}

// readUvarint reads a minimal unsigned varint; longer encodings of the same
// number are rejected so that every number has one encoding.
func readUvarint(b []byte) (uint64, []byte, error) {
	x, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, fmt.Errorf("varint: %w", ErrMalformed)
	}
	if n > 1 && b[n-1] == 0 {
		return 0, nil, fmt.Errorf("non-minimal varint: %w", ErrMalformed)
	}
	return x, b[n:], nil
}

func appendU64(b []byte, x uint64) []byte {
	return binary.BigEndian.AppendUint64(b, x)
}

func readU64(b []byte) (uint64, []byte, error) {
	if len(b) < 8 {
		return 0, nil, fmt.Errorf("uint64 needs 8 bytes, have %d: %w", len(b), ErrMalformed)
	}
	return binary.BigEndian.Uint64(b), b[8:], nil
}

// appendBytes appends p with a varint length prefix.
func appendBytes(b, p []byte) []byte {
	return append(appendUvarint(b, uint64(len(p))), p...)
}

// readBytes reads a length-prefixed byte string; the result aliases b.
func readBytes(b []byte) ([]byte, []byte, error) {
	n, rest, err := readUvarint(b)
	if err != nil {
		return nil, nil, err
	}
	if n > uint64(len(rest)) {
		return nil, nil, fmt.Errorf("length %d exceeds the %d bytes left: %w", n, len(rest), ErrMalformed)
	}
	return rest[:n], rest[n:], nil
}

// readTag reads a one-byte tag that must be below limit.
func readTag(b []byte, limit byte) (byte, []byte, error) {
	if len(b) == 0 {
		return 0, nil, fmt.Errorf("missing tag: %w", ErrMalformed)
	}
	if b[0] >= limit {
		return 0, nil, fmt.Errorf("tag %d out of range: %w", b[0], ErrMalformed)
	}
	return b[0], b[1:], nil
}

// String is a string value; it encodes as a varint length and the bytes.
type String string

// Encode appends the length-prefixed bytes of s.
func (s String) Encode(b []byte) []byte { return appendBytes(b, []byte(s)) }

// Decode reads a length-prefixed string.
func (String) Decode(b []byte) (String, []byte, error) {
	p, rest, err := readBytes(b)
	if err != nil {
		return "", nil, fmt.Errorf("decode string: %w", err)
	}
	return String(p), rest, nil
}

// Bytes is a byte-string value; it encodes like String. Nil and empty are
// the same state.
type Bytes []byte

// Encode appends the length-prefixed bytes of p.
func (p Bytes) Encode(b []byte) []byte { return appendBytes(b, p) }

// Decode reads a length-prefixed byte string. The result aliases b (with
// its capacity cut to its length): Unmarshal copies its input once, so
// that a decoded value never shares memory with the caller's buffer.
func (Bytes) Decode(b []byte) (Bytes, []byte, error) {
	p, rest, err := readBytes(b)
	if err != nil {
		return nil, nil, fmt.Errorf("decode bytes: %w", err)
	}
	if len(p) == 0 {
		return nil, rest, nil
	}
	return Bytes(p[:len(p):len(p)]), rest, nil
}

// Uint64 is an unsigned integer value; it encodes as 8 bytes big-endian,
// so encoding order is numeric order.
type Uint64 uint64

// Encode appends the 8 big-endian bytes of x.
func (x Uint64) Encode(b []byte) []byte { return appendU64(b, uint64(x)) }

// Decode reads 8 big-endian bytes.
func (Uint64) Decode(b []byte) (Uint64, []byte, error) {
	x, rest, err := readU64(b)
	if err != nil {
		return 0, nil, fmt.Errorf("decode uint64: %w", err)
	}
	return Uint64(x), rest, nil
}
