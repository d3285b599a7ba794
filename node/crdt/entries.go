package crdt

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
)

// entry is one key of a map kept as a slice sorted by key.
type entry[K Key[K], V any] struct {
	k K
	v V
}

// mergeEntries merges two key-sorted lists into a new one, combining the
// values of keys present in both with merge.
func mergeEntries[K Key[K], V any](a, b []entry[K, V], merge func(x, y V) V) []entry[K, V] {
	out := make([]entry[K, V], 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := cmp.Compare(a[i].k, b[j].k); {
		case c < 0:
			out = append(out, a[i])
			i++
		case c > 0:
			out = append(out, b[j])
			j++
		default:
			out = append(out, entry[K, V]{a[i].k, merge(a[i].v, b[j].v)})
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// findEntry returns the value of k in es.
func findEntry[K Key[K], V any](es []entry[K, V], k K) (V, bool) {
	i, ok := slices.BinarySearchFunc(es, k, func(e entry[K, V], k K) int { return cmp.Compare(e.k, k) })
	if !ok {
		var zero V
		return zero, false
	}
	return es[i].v, true
}

// allEntries iterates over es in key order.
func allEntries[K Key[K], V any](es []entry[K, V]) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for _, e := range es {
			if !yield(e.k, e.v) {
				return
			}
		}
	}
}

// keysOf returns the keys of es in order.
func keysOf[K Key[K], V any](es []entry[K, V]) []K {
	keys := make([]K, len(es))
	for i, e := range es {
		keys[i] = e.k
	}
	return keys
}

// encodeEntries appends the count and then each key and value, in key order.
func encodeEntries[K Key[K], V Value[V]](b []byte, es []entry[K, V]) []byte {
	b = appendUvarint(b, uint64(len(es)))
	for _, e := range es {
		b = e.v.Encode(e.k.Encode(b))
	}
	return b
}

// decodeEntries reads what encodeEntries wrote, rejecting keys that are not
// strictly ascending.
func decodeEntries[K Key[K], V Value[V]](b []byte) ([]entry[K, V], []byte, error) {
	n, rest, err := readUvarint(b)
	if err != nil {
		return nil, nil, fmt.Errorf("entry count: %w", err)
	}
	es := make([]entry[K, V], 0, min(n, uint64(len(rest))))
	for i := range n {
		var e entry[K, V]
		if e, rest, err = decodeEntry[K, V](rest); err != nil {
			return nil, nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if i > 0 && cmp.Compare(es[i-1].k, e.k) >= 0 {
			return nil, nil, fmt.Errorf("entry %d: key not after the previous one: %w", i, ErrMalformed)
		}
		es = append(es, e)
	}
	return es, rest, nil
}

func decodeEntry[K Key[K], V Value[V]](b []byte) (entry[K, V], []byte, error) {
	var e entry[K, V]
	k, rest, err := e.k.Decode(b)
	if err != nil {
		return e, nil, err
	}
	v, rest, err := e.v.Decode(rest)
	if err != nil {
		return e, nil, err
	}
	return entry[K, V]{k, v}, rest, nil
}
