package crdt

import (
	"fmt"
	"iter"
)

// LWWMap maps keys to LWW registers: each key merges on its own, the most
// recent write of a key winning. Keys are never removed; to delete, write a
// value that means absent (for example a Deletable or an optional type). The
// zero LWWMap is empty.
type LWWMap[K Key[K], V Value[V]] struct {
	es []entry[K, LWW[V]]
}

var _ Mergeable[LWWMap[String, String]] = LWWMap[String, String]{}

// Len returns the number of keys.
func (m LWWMap[K, V]) Len() int { return len(m.es) }

// Get returns the value of k and whether k is present.
func (m LWWMap[K, V]) Get(k K) (V, bool) {
	r, ok := findEntry(m.es, k)
	return r.v, ok
}

// Register returns the register of k (with its timestamp) and whether k is
// present.
func (m LWWMap[K, V]) Register(k K) (LWW[V], bool) {
	return findEntry(m.es, k)
}

// All iterates over keys and values in ascending key order.
func (m LWWMap[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, r := range allEntries(m.es) {
			if !yield(k, r.v) {
				return
			}
		}
	}
}

// Keys returns the keys in ascending order.
func (m LWWMap[K, V]) Keys() []K { return keysOf(m.es) }

// Put returns m with r merged into the register of k.
func (m LWWMap[K, V]) Put(k K, r LWW[V]) LWWMap[K, V] {
	return m.Merge(LWWMap[K, V]{es: []entry[K, LWW[V]]{{k, r}}})
}

// Set returns m with k set to v, stamped NextTimestamp(now, t) where t is
// the current timestamp of k (0 if absent), so that the write wins over
// every version m knows of.
func (m LWWMap[K, V]) Set(now uint64, k K, v V) LWWMap[K, V] {
	r, _ := m.Register(k)
	return m.Put(k, r.Update(now, v))
}

// Merge returns the union of both maps, merging the registers of common
// keys.
func (m LWWMap[K, V]) Merge(o LWWMap[K, V]) LWWMap[K, V] {
	return LWWMap[K, V]{es: mergeEntries(m.es, o.es, LWW[V].Merge)}
}

// Encode appends the number of keys, then each key and register in
// ascending key order.
func (m LWWMap[K, V]) Encode(b []byte) []byte { return encodeEntries(b, m.es) }

// Decode reads an LWWMap; keys must be strictly ascending.
func (LWWMap[K, V]) Decode(b []byte) (LWWMap[K, V], []byte, error) {
	es, rest, err := decodeEntries[K, LWW[V]](b)
	if err != nil {
		return LWWMap[K, V]{}, nil, fmt.Errorf("decode lww map: %w", err)
	}
	return LWWMap[K, V]{es: es}, rest, nil
}
