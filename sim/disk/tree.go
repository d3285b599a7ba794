package disk

import (
	"bytes"
	"sort"
)

// entry is one key and its value. Stored values are never mutated in
// place, so layers may share them.
type entry struct {
	key []byte
	val []byte
}

// tree is one named tree: entries sorted by key.
type tree struct {
	ents []entry
}

// search returns the index of the first entry with key >= k.
func (t *tree) search(k []byte) int {
	return sort.Search(len(t.ents), func(i int) bool { return bytes.Compare(t.ents[i].key, k) >= 0 })
}

// find returns the index of k and whether it is present.
func (t *tree) find(k []byte) (int, bool) {
	i := t.search(k)
	return i, i < len(t.ents) && bytes.Equal(t.ents[i].key, k)
}

// get returns the value of k, or nil.
func (t *tree) get(k []byte) []byte {
	if i, ok := t.find(k); ok {
		return t.ents[i].val
	}
	return nil
}

// step returns the entry of [start, end) that follows last in ascending
// order (descending if reverse); a nil last means the first one. A nil
// tree is empty.
func (t *tree) step(start, end, last []byte, reverse bool) (entry, bool) {
	if t == nil {
		return entry{}, false
	}
	if reverse {
		return t.below(start, end, last)
	}
	return t.above(start, end, last)
}

func (t *tree) above(start, end, last []byte) (entry, bool) {
	i := t.search(start)
	if last != nil {
		var found bool
		if i, found = t.find(last); found {
			i++
		}
	}
	if i >= len(t.ents) || (end != nil && bytes.Compare(t.ents[i].key, end) >= 0) {
		return entry{}, false
	}
	return t.ents[i], true
}

func (t *tree) below(start, end, last []byte) (entry, bool) {
	bound := end
	if last != nil {
		bound = last
	}
	i := len(t.ents) - 1
	if bound != nil {
		i = t.search(bound) - 1
	}
	if i < 0 || (start != nil && bytes.Compare(t.ents[i].key, start) < 0) {
		return entry{}, false
	}
	return t.ents[i], true
}

// put sets k to v (both already owned by the tree) and returns the old
// value, or nil.
func (t *tree) put(k, v []byte) []byte {
	i := t.search(k)
	if i < len(t.ents) && bytes.Equal(t.ents[i].key, k) {
		old := t.ents[i].val
		t.ents[i].val = v
		return old
	}
	t.ents = append(t.ents, entry{})
	copy(t.ents[i+1:], t.ents[i:])
	t.ents[i] = entry{key: k, val: v}
	return nil
}

// del removes k and returns its old value, or nil.
func (t *tree) del(k []byte) []byte {
	i := t.search(k)
	if i >= len(t.ents) || !bytes.Equal(t.ents[i].key, k) {
		return nil
	}
	old := t.ents[i].val
	copy(t.ents[i:], t.ents[i+1:])
	t.ents[len(t.ents)-1] = entry{}
	t.ents = t.ents[:len(t.ents)-1]
	return old
}

// clone returns a tree with its own entry slice (keys and values shared).
func (t *tree) clone() *tree {
	return &tree{ents: append([]entry(nil), t.ents...)}
}

// forest is a set of named trees.
type forest map[string]*tree

func (f forest) tree(name string, create bool) *tree {
	t := f[name]
	if t == nil && create {
		t = &tree{}
		f[name] = t
	}
	return t
}

func (f forest) clone() forest {
	c := make(forest, len(f))
	for name, t := range f {
		c[name] = t.clone()
	}
	return c
}

// apply performs one logged write on the forest.
func (f forest) apply(o op) {
	if o.val == nil {
		if t := f.tree(o.tree, false); t != nil {
			t.del(o.key)
		}
		return
	}
	f.tree(o.tree, true).put(o.key, o.val)
}

// ops returns the forest's entries as writes, trees by name, keys in
// order (a nil value is a deletion).
func (f forest) ops() []op {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []op
	for _, name := range names {
		for _, e := range f[name].ents {
			out = append(out, op{tree: name, key: e.key, val: e.val})
		}
	}
	return out
}

// op is one write: a put, or a delete when val is nil.
type op struct {
	tree     string
	key, val []byte
}
