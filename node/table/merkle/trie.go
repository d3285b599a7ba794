package merkle

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// Trie is the set of per-partition tries of one table, stored in one KV
// tree. A Trie value holds no state but the tree name: every method works
// inside the transaction it is given, so a caller may update the trie in
// the same transaction as other writes.
type Trie struct {
	Tree string
}

// NodeKey returns the KV key of the node at prefix (one nibble per byte) of
// partition part.
func NodeKey(part uint16, prefix []byte) []byte {
	k := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(prefix)), part)
	return append(k, prefix...)
}

// Get returns the node at prefix of partition part (Empty if none).
func (t Trie) Get(tx rt.ReadTx, part uint16, prefix []byte) (Node, error) {
	b, err := tx.Get(t.Tree, NodeKey(part, prefix))
	if err != nil {
		return Node{}, fmt.Errorf("merkle get %d/%x: %w", part, prefix, err)
	}
	n, err := Decode(b)
	if err != nil {
		return Node{}, fmt.Errorf("merkle get %d/%x: %w", part, prefix, err)
	}
	return n, nil
}

// Root returns the root hash of partition part (zero if it holds nothing).
func (t Trie) Root(tx rt.ReadTx, part uint16) (Hash, error) {
	n, err := t.Get(tx, part, nil)
	return n.Hash(), err
}

// Roots returns the root hashes of partitions parts, in order. A trie
// holding nothing answers at once: every root is zero.
func (t Trie) Roots(tx rt.ReadTx, parts []uint16) ([]Hash, error) {
	out := make([]Hash, len(parts))
	empty := true
	if err := tx.Scan(t.Tree, nil, nil, false, func(_, _ []byte) bool { empty = false; return false }); err != nil || empty {
		return out, err
	}
	for i, p := range parts {
		h, err := t.Root(tx, p)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// Update sets the value hash of item key in partition part, or removes
// the item if value is nil, keeping the trie canonical.
func (t Trie) Update(tx rt.Tx, part uint16, key []byte, value *Hash) error {
	_, err := t.update(tx, part, nil, KeyHash(key), key, value)
	if err != nil {
		return fmt.Errorf("merkle update %d/%x: %w", part, key, err)
	}
	return nil
}

func (t Trie) update(tx rt.Tx, part uint16, prefix []byte, kh Hash, key []byte, v *Hash) (Hash, error) {
	n, err := t.Get(tx, part, prefix)
	if err != nil {
		return Hash{}, err
	}
	switch {
	case n.Kind == Empty && v == nil:
		return Hash{}, nil
	case n.Kind == Empty:
		return t.put(tx, part, prefix, Node{Kind: Leaf, Key: key, Value: *v})
	case n.Kind == Leaf && bytes.Equal(n.Key, key) && v == nil:
		return Hash{}, tx.Delete(t.Tree, NodeKey(part, prefix))
	case n.Kind == Leaf && bytes.Equal(n.Key, key):
		return t.put(tx, part, prefix, Node{Kind: Leaf, Key: key, Value: *v})
	case n.Kind == Leaf && v == nil:
		return n.Hash(), nil
	case n.Kind == Leaf:
		return t.split(tx, part, prefix, n, kh, key, v)
	}
	return t.descend(tx, part, prefix, n, kh, key, v)
}

// split turns the leaf n at prefix into an intermediate node holding it and
// the new item.
func (t Trie) split(tx rt.Tx, part uint16, prefix []byte, n Node, kh Hash, key []byte, v *Hash) (Hash, error) {
	nib := Nibble(KeyHash(n.Key), len(prefix))
	h, err := t.put(tx, part, child(prefix, nib), n)
	if err != nil {
		return Hash{}, err
	}
	mid := Node{Kind: Intermediate, Children: []Child{{nib, h}}}
	return t.descend(tx, part, prefix, mid, kh, key, v)
}

// descend updates the child of the intermediate node n at prefix that kh
// falls in, then stores n, collapsing it into a leaf if one item remains.
func (t Trie) descend(tx rt.Tx, part uint16, prefix []byte, n Node, kh Hash, key []byte, v *Hash) (Hash, error) {
	nib := Nibble(kh, len(prefix))
	ch, err := t.update(tx, part, child(prefix, nib), kh, key, v)
	if err != nil {
		return Hash{}, err
	}
	kids := n.withChild(nib, ch)
	switch len(kids) {
	case 0:
		return Hash{}, tx.Delete(t.Tree, NodeKey(part, prefix))
	case 1:
		return t.collapse(tx, part, prefix, kids)
	}
	return t.put(tx, part, prefix, Node{Kind: Intermediate, Children: kids})
}

// collapse stores the node at prefix that has a single child: the child
// itself moves up if it is a leaf (the prefix then holds one item), else the
// node stays intermediate.
func (t Trie) collapse(tx rt.Tx, part uint16, prefix []byte, kids []Child) (Hash, error) {
	ck := child(prefix, kids[0].Nibble)
	cn, err := t.Get(tx, part, ck)
	if err != nil {
		return Hash{}, err
	}
	if cn.Kind != Leaf {
		return t.put(tx, part, prefix, Node{Kind: Intermediate, Children: kids})
	}
	if err := tx.Delete(t.Tree, NodeKey(part, ck)); err != nil {
		return Hash{}, err
	}
	return t.put(tx, part, prefix, cn)
}

func (t Trie) put(tx rt.Tx, part uint16, prefix []byte, n Node) (Hash, error) {
	enc := n.Encode(nil)
	if err := tx.Put(t.Tree, NodeKey(part, prefix), enc); err != nil {
		return Hash{}, err
	}
	return Sum(enc), nil
}

// Leaves calls fn for every leaf at or below prefix of partition part, in
// nibble order, until fn returns false.
func (t Trie) Leaves(tx rt.ReadTx, part uint16, prefix []byte, fn func(Node) bool) error {
	_, err := t.leaves(tx, part, prefix, fn)
	return err
}

func (t Trie) leaves(tx rt.ReadTx, part uint16, prefix []byte, fn func(Node) bool) (bool, error) {
	n, err := t.Get(tx, part, prefix)
	if err != nil || n.Kind == Empty {
		return err == nil, err
	}
	if n.Kind == Leaf {
		return fn(n), nil
	}
	for _, c := range n.Children {
		more, err := t.leaves(tx, part, child(prefix, c.Nibble), fn)
		if err != nil || !more {
			return more, err
		}
	}
	return true, nil
}

// child returns prefix extended by nib, in a new slice.
func child(prefix []byte, nib byte) []byte {
	out := make([]byte, len(prefix)+1)
	copy(out, prefix)
	out[len(prefix)] = nib
	return out
}

// ChildPrefix returns prefix extended by nib, in a new slice.
func ChildPrefix(prefix []byte, nib byte) []byte { return child(prefix, nib) }
