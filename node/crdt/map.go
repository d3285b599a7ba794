package crdt

import (
	"fmt"
	"iter"
)

// Map maps keys to CRDT values that merge key by key: the merge of two maps
// holds every key of either, with the merged value for keys in both. Keys
// are never removed; wrap values in Deletable to delete. The zero Map is
// empty.
type Map[K Key[K], V Mergeable[V]] struct {
	es []entry[K, V]
}

var _ Mergeable[Map[String, Bool]] = Map[String, Bool]{}

// Len returns the number of keys.
func (m Map[K, V]) Len() int { return len(m.es) }

// Get returns the value of k and whether k is present.
func (m Map[K, V]) Get(k K) (V, bool) { return findEntry(m.es, k) }

// All iterates over keys and values in ascending key order.
func (m Map[K, V]) All() iter.Seq2[K, V] { return allEntries(m.es) }

// Keys returns the keys in ascending order.
func (m Map[K, V]) Keys() []K { return keysOf(m.es) }

// Put returns m with v merged into the value of k (or added, if k is
// absent).
func (m Map[K, V]) Put(k K, v V) Map[K, V] {
	return m.Merge(Map[K, V]{es: []entry[K, V]{{k, v}}})
}

// Merge returns the union of both maps, merging the values of common keys.
func (m Map[K, V]) Merge(o Map[K, V]) Map[K, V] {
	return Map[K, V]{es: mergeEntries(m.es, o.es, V.Merge)}
}

// Encode appends the number of keys, then each key and value in ascending
// key order.
func (m Map[K, V]) Encode(b []byte) []byte { return encodeEntries(b, m.es) }

// Decode reads a Map; keys must be strictly ascending.
func (Map[K, V]) Decode(b []byte) (Map[K, V], []byte, error) {
	es, rest, err := decodeEntries[K, V](b)
	if err != nil {
		return Map[K, V]{}, nil, fmt.Errorf("decode map: %w", err)
	}
	return Map[K, V]{es: es}, rest, nil
}
