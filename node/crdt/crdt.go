package crdt

import (
	"bytes"
	"cmp"
	"fmt"
)

// Crdt is a state-based CRDT: Merge returns the least upper bound of the
// receiver and other. Merge must be commutative, associative and idempotent,
// and must not modify either operand.
type Crdt[T any] interface {
	Merge(other T) T
}

// Value is a type with a canonical binary encoding.
type Value[T any] interface {
	// Encode appends the canonical encoding of the receiver to b and
	// returns the extended slice.
	Encode(b []byte) []byte
	// Decode parses one value from the front of b and returns it with the
	// rest of b. The receiver is not used: call it on the zero value.
	// Non-canonical input fails with an error wrapping ErrMalformed. The
	// value may alias b (Bytes does): decode through Unmarshal, which
	// copies b first, unless b is never modified while the value lives.
	Decode(b []byte) (T, []byte, error)
}

// Mergeable is a Crdt with a canonical encoding: what Map and Deletable
// hold.
type Mergeable[T any] interface {
	Crdt[T]
	Value[T]
}

// Key is a map key: naturally ordered (by cmp.Compare, which is also the
// order of iteration and encoding) and encodable. Floating-point keys must
// not be NaN.
type Key[T any] interface {
	cmp.Ordered
	Value[T]
}

// NextTimestamp returns the timestamp of a new version: max(now,
// newest+1), where newest is the timestamp of the newest existing version.
// The result is newer than every existing version even when the local clock
// lags behind the writer of newest. It saturates at the largest uint64.
func NextTimestamp(now, newest uint64) uint64 {
	if newest == ^uint64(0) {
		return newest
	}
	return max(now, newest+1)
}

// Marshal returns the canonical encoding of v.
func Marshal[T Value[T]](v T) []byte {
	return v.Encode(make([]byte, 0, marshalCap))
}

// marshalCap is the capacity Marshal starts with: most entries encode in
// fewer bytes, so that encoding one allocates once instead of growing its
// buffer several times.
const marshalCap = 64

// Unmarshal decodes b, which must hold exactly one canonical encoding. The
// value shares no memory with b: b is copied once, and the parts of the
// value that alias it alias the copy.
func Unmarshal[T Value[T]](b []byte) (T, error) {
	return UnmarshalShared[T](bytes.Clone(b))
}

// UnmarshalShared is Unmarshal without the copy: parts of the value may
// alias b. It is for a value that is dropped before b changes or becomes
// invalid (a transaction's own slice, a request being handled), and must
// not be modified in place.
func UnmarshalShared[T Value[T]](b []byte) (T, error) {
	var zero T
	v, rest, err := zero.Decode(b)
	if err != nil {
		return zero, err
	}
	if len(rest) != 0 {
		return zero, fmt.Errorf("%d trailing bytes: %w", len(rest), ErrMalformed)
	}
	return v, nil
}

// Equal reports whether a and b are the same state, by comparing their
// canonical encodings.
func Equal[T Value[T]](a, b T) bool {
	return bytes.Equal(Marshal(a), Marshal(b))
}
