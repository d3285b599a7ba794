package disk

import (
	"bytes"
)

// entry is one key and its value. Stored values are never mutated in
// place, so layers may share them.
type entry struct {
	key []byte
	val []byte
}

// maxChunk bounds a chunk of a tree, so that an insertion moves at most
// that many entries.
const maxChunk = 256

// tree is one named tree: entries sorted by key, in chunks of at most
// maxChunk entries (every chunk non-empty, chunks in key order).
type tree struct {
	chunks [][]entry
	spare  []entry // an emptied chunk kept for the first insertion
}

// pos is the position of an entry: chunk c, index i within it.
type pos struct{ c, i int }

// search returns the position of the first entry with key >= k (c ==
// len(chunks) if none). Its two binary searches are written out:
// slices.BinarySearchFunc made BenchmarkGet 15 % and BenchmarkScan100
// 35 % slower.
func (t *tree) search(k []byte) pos {
	lo, hi := 0, len(t.chunks) // the first chunk whose last key is >= k
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ch := t.chunks[m]; bytes.Compare(ch[len(ch)-1].key, k) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(t.chunks) {
		return pos{lo, 0}
	}
	ch := t.chunks[lo]
	i, j := 0, len(ch) // the first entry whose key is >= k
	for i < j {
		m := int(uint(i+j) >> 1)
		if bytes.Compare(ch[m].key, k) < 0 {
			i = m + 1
		} else {
			j = m
		}
	}
	return pos{lo, i}
}

func (t *tree) at(p pos) (entry, bool) {
	if p.c >= len(t.chunks) {
		return entry{}, false
	}
	return t.chunks[p.c][p.i], true
}

// find returns the position of k and whether it is present.
func (t *tree) find(k []byte) (pos, bool) {
	p := t.search(k)
	e, ok := t.at(p)
	return p, ok && bytes.Equal(e.key, k)
}

// lookup returns the value of k and whether k is present (an overlay
// holds nil values for deletions).
func (t *tree) lookup(k []byte) ([]byte, bool) {
	p, ok := t.find(k)
	if !ok {
		return nil, false
	}
	return t.chunks[p.c][p.i].val, true
}

// get returns the value of k, or nil.
func (t *tree) get(k []byte) []byte {
	v, _ := t.lookup(k)
	return v
}

// put sets k to v (both already owned by the tree). A key already present
// is replaced too: a write allocates its key and value together, and the
// old key must not keep the old value's memory alive.
func (t *tree) put(k, v []byte) {
	p, ok := t.find(k)
	if ok {
		t.chunks[p.c][p.i] = entry{key: k, val: v}
		return
	}
	if p.c == len(t.chunks) { // after every key: append to the last chunk
		if p.c == 0 {
			t.chunks = append(t.chunks, t.spare)
			t.spare = nil
		}
		p.c = len(t.chunks) - 1
		p.i = len(t.chunks[p.c])
	}
	ch := append(t.chunks[p.c], entry{})
	copy(ch[p.i+1:], ch[p.i:])
	ch[p.i] = entry{key: k, val: v}
	t.chunks[p.c] = ch
	if len(ch) > maxChunk {
		t.split(p.c)
	}
}

// split halves chunk c.
func (t *tree) split(c int) {
	ch := t.chunks[c]
	half := len(ch) / 2
	hi := append([]entry(nil), ch[half:]...)
	clear(ch[half:])
	t.chunks[c] = ch[:half]
	t.chunks = append(t.chunks, nil)
	copy(t.chunks[c+2:], t.chunks[c+1:])
	t.chunks[c+1] = hi
}

// del removes k if present.
func (t *tree) del(k []byte) {
	p, ok := t.find(k)
	if !ok {
		return
	}
	ch := t.chunks[p.c]
	copy(ch[p.i:], ch[p.i+1:])
	ch[len(ch)-1] = entry{}
	t.chunks[p.c] = ch[:len(ch)-1]
	if len(t.chunks[p.c]) == 0 {
		t.chunks = append(t.chunks[:p.c], t.chunks[p.c+1:]...)
	}
}

// next returns the position after p; prev the one before (ok false at
// the ends).
func (t *tree) next(p pos) (pos, bool) {
	if p.i+1 < len(t.chunks[p.c]) {
		return pos{p.c, p.i + 1}, true
	}
	return pos{p.c + 1, 0}, p.c+1 < len(t.chunks)
}

func (t *tree) prev(p pos) (pos, bool) {
	if p.i > 0 {
		return pos{p.c, p.i - 1}, true
	}
	if p.c == 0 {
		return pos{}, false
	}
	return pos{p.c - 1, len(t.chunks[p.c-1]) - 1}, true
}

// step returns the entry of [start, end) that follows last in ascending
// order (descending if reverse); a nil last means the first one. A nil
// tree is empty.
func (t *tree) step(start, end, last []byte, reverse bool) (entry, bool) {
	if t == nil || len(t.chunks) == 0 {
		return entry{}, false
	}
	if reverse {
		return t.below(start, end, last)
	}
	return t.above(start, end, last)
}

func (t *tree) above(start, end, last []byte) (entry, bool) {
	p := t.search(start)
	if last != nil {
		var found bool
		if p, found = t.find(last); found {
			if p, found = t.next(p); !found {
				return entry{}, false
			}
		}
	}
	e, ok := t.at(p)
	if !ok || (end != nil && bytes.Compare(e.key, end) >= 0) {
		return entry{}, false
	}
	return e, true
}

func (t *tree) below(start, end, last []byte) (entry, bool) {
	bound := end
	if last != nil {
		bound = last
	}
	p, ok := t.lastPos(), true
	if bound != nil {
		if s := t.search(bound); s.c < len(t.chunks) {
			p, ok = t.prev(s)
		}
	}
	if !ok {
		return entry{}, false
	}
	e := t.chunks[p.c][p.i]
	if start != nil && bytes.Compare(e.key, start) < 0 {
		return entry{}, false
	}
	return e, true
}

func (t *tree) lastPos() pos {
	c := len(t.chunks) - 1
	return pos{c, len(t.chunks[c]) - 1}
}

// each calls fn for every entry in order.
func (t *tree) each(fn func(e entry)) {
	for _, ch := range t.chunks {
		for _, e := range ch {
			fn(e)
		}
	}
}

// reset empties the tree, keeping its first chunk's memory for reuse.
func (t *tree) reset() {
	if len(t.chunks) > 0 {
		clear(t.chunks[0])
		t.spare = t.chunks[0][:0]
	}
	clear(t.chunks)
	t.chunks = t.chunks[:0]
}

// clone returns a tree with its own chunks (keys and values shared).
func (t *tree) clone() *tree {
	c := &tree{chunks: make([][]entry, len(t.chunks))}
	for i, ch := range t.chunks {
		c.chunks[i] = append([]entry(nil), ch...)
	}
	return c
}

// forest is a set of named trees. It remembers the tree it found last:
// a transaction mostly goes back and forth between a table's two or three
// trees, whose names are the same strings each time.
type forest struct {
	trees map[string]*tree
	name  string // the name of last, if not nil
	last  *tree
}

func newForest() *forest { return &forest{trees: map[string]*tree{}} }

// tree returns the tree name, created if create is set (a nil forest, the
// overlay of a read-only transaction, holds none).
func (f *forest) tree(name string, create bool) *tree {
	if f == nil {
		return nil
	}
	if f.last != nil && f.name == name {
		return f.last
	}
	t := f.trees[name]
	if t == nil {
		if !create {
			return nil
		}
		t = &tree{}
		f.trees[name] = t
	}
	f.name, f.last = name, t // trees are never removed: the entry stays right
	return t
}

func (f *forest) clone() *forest {
	c := &forest{trees: make(map[string]*tree, len(f.trees))}
	for name, t := range f.trees {
		c.trees[name] = t.clone()
	}
	return c
}

// apply performs one logged write on the forest.
func (f *forest) apply(o op) {
	if o.val == nil {
		if t := f.tree(o.tree, false); t != nil {
			t.del(o.key)
		}
		return
	}
	f.tree(o.tree, true).put(o.key, o.val)
}

// op is one write: a put, or a delete when val is nil.
type op struct {
	tree     string
	key, val []byte
}
