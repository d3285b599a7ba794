package crdt

import "fmt"

// Bool is a flag that, once true, stays true: Merge is logical or.
type Bool bool

var _ Mergeable[Bool] = Bool(false)

// Merge returns b || o.
func (b Bool) Merge(o Bool) Bool { return b || o }

// Encode appends one byte, 0 or 1.
func (b Bool) Encode(p []byte) []byte {
	if b {
		return append(p, 1)
	}
	return append(p, 0)
}

// Decode reads one byte, which must be 0 or 1.
func (Bool) Decode(p []byte) (Bool, []byte, error) {
	t, rest, err := readTag(p, 2)
	if err != nil {
		return false, nil, fmt.Errorf("decode bool: %w", err)
	}
	return t == 1, rest, nil
}

// Max holds a value that only grows: Merge keeps the greater of the two, by
// cmp.Compare.
type Max[T Key[T]] struct {
	V T
}

var _ Mergeable[Max[Uint64]] = Max[Uint64]{}

// Merge returns the greater value.
func (m Max[T]) Merge(o Max[T]) Max[T] {
	return Max[T]{V: max(m.V, o.V)}
}

// Encode appends the encoding of the held value.
func (m Max[T]) Encode(b []byte) []byte { return m.V.Encode(b) }

// Decode reads the held value.
func (Max[T]) Decode(b []byte) (Max[T], []byte, error) {
	var zero T
	v, rest, err := zero.Decode(b)
	if err != nil {
		return Max[T]{}, nil, fmt.Errorf("decode max: %w", err)
	}
	return Max[T]{V: v}, rest, nil
}
