package crdt

import (
	"bytes"
	"fmt"
)

// LWW is a last-writer-wins register: a value stamped with the time, in
// milliseconds, at which it was written. Merge keeps the value with the
// greater timestamp. On equal timestamps it keeps the value whose canonical
// encoding is greater in bytes.Compare order, so that two replicas that
// received the same concurrent writes in any order agree. The zero LWW holds
// the zero value at time 0.
type LWW[T Value[T]] struct {
	ts uint64
	v  T
}

var _ Mergeable[LWW[String]] = LWW[String]{}

// NewLWW returns a register holding v written at time ts.
func NewLWW[T Value[T]](ts uint64, v T) LWW[T] {
	return LWW[T]{ts: ts, v: v}
}

// Time returns the timestamp of the held value.
func (r LWW[T]) Time() uint64 { return r.ts }

// Value returns the held value.
func (r LWW[T]) Value() T { return r.v }

// Update returns a register holding v, stamped NextTimestamp(now, r.Time())
// so that it wins over r whatever the local clock says.
func (r LWW[T]) Update(now uint64, v T) LWW[T] {
	return LWW[T]{ts: NextTimestamp(now, r.ts), v: v}
}

// Merge returns the register with the greater timestamp, ties broken by the
// greater encoding.
func (r LWW[T]) Merge(o LWW[T]) LWW[T] {
	switch {
	case o.ts > r.ts:
		return o
	case o.ts < r.ts:
		return r
	}
	if bytes.Compare(Marshal(o.v), Marshal(r.v)) > 0 {
		return o
	}
	return r
}

// Encode appends the timestamp (8 bytes big-endian) and the value.
func (r LWW[T]) Encode(b []byte) []byte {
	return r.v.Encode(appendU64(b, r.ts))
}

// Decode reads a register.
func (LWW[T]) Decode(b []byte) (LWW[T], []byte, error) {
	ts, rest, err := readU64(b)
	if err != nil {
		return LWW[T]{}, nil, fmt.Errorf("decode lww timestamp: %w", err)
	}
	var zero T
	v, rest, err := zero.Decode(rest)
	if err != nil {
		return LWW[T]{}, nil, fmt.Errorf("decode lww value: %w", err)
	}
	return LWW[T]{ts: ts, v: v}, rest, nil
}
