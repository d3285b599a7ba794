package crdt

import "fmt"

// Deletable is either a present CRDT value or a deletion marker. Deletion
// wins and is final: merging anything with Deleted gives Deleted; two
// present values merge. The zero Deletable is Present of the zero value.
type Deletable[T Mergeable[T]] struct {
	deleted bool
	v       T // always the zero value when deleted, to keep one encoding
}

var _ Mergeable[Deletable[Bool]] = Deletable[Bool]{}

// Present returns a Deletable holding v.
func Present[T Mergeable[T]](v T) Deletable[T] {
	return Deletable[T]{v: v}
}

// Deleted returns the deletion marker.
func Deleted[T Mergeable[T]]() Deletable[T] {
	return Deletable[T]{deleted: true}
}

// IsDeleted reports whether d is the deletion marker.
func (d Deletable[T]) IsDeleted() bool { return d.deleted }

// Get returns the held value and true, or the zero value and false if d is
// deleted.
func (d Deletable[T]) Get() (T, bool) { return d.v, !d.deleted }

// Merge returns Deleted if either side is, else Present of the merged values.
func (d Deletable[T]) Merge(o Deletable[T]) Deletable[T] {
	if d.deleted || o.deleted {
		return Deleted[T]()
	}
	return Present(d.v.Merge(o.v))
}

// Deletable tags.
const (
	tagDeleted = 0
	tagPresent = 1
)

// Encode appends tag 0 for Deleted, or tag 1 and the value.
func (d Deletable[T]) Encode(b []byte) []byte {
	if d.deleted {
		return append(b, tagDeleted)
	}
	return d.v.Encode(append(b, tagPresent))
}

// Decode reads a Deletable.
func (Deletable[T]) Decode(b []byte) (Deletable[T], []byte, error) {
	tag, rest, err := readTag(b, 2)
	if err != nil {
		return Deletable[T]{}, nil, fmt.Errorf("decode deletable: %w", err)
	}
	if tag == tagDeleted {
		return Deleted[T](), rest, nil
	}
	var zero T
	v, rest, err := zero.Decode(rest)
	if err != nil {
		return Deletable[T]{}, nil, fmt.Errorf("decode deletable value: %w", err)
	}
	return Present(v), rest, nil
}
