package merkle

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/blake2b"
)

// Hash is a BLAKE2b-256 digest. The zero Hash is the hash of the empty
// trie.
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:8]) }

// IsZero reports whether h is the hash of an empty trie.
func (h Hash) IsZero() bool { return h == Hash{} }

// Sum returns the BLAKE2b-256 digest of b.
func Sum(b []byte) Hash { return blake2b.Sum256(b) }

// Kind says what a trie node is.
type Kind uint8

// Kinds of trie nodes.
const (
	Empty        Kind = iota // no item below this prefix
	Leaf                     // exactly one item below this prefix
	Intermediate             // two or more items below this prefix
)

// Child is one non-empty child of an intermediate node.
type Child struct {
	Nibble byte
	Hash   Hash
}

// Node is one node of a trie.
type Node struct {
	Kind     Kind
	Key      []byte  // Leaf: the item key
	Value    Hash    // Leaf: the hash of the item's value
	Children []Child // Intermediate: ascending by nibble, at least one
}

// ErrCorrupt is wrapped by errors decoding a malformed node.
var ErrCorrupt = errors.New("merkle: corrupt node")

// Hash returns the node's hash (zero for Empty).
func (n Node) Hash() Hash {
	if n.Kind == Empty {
		return Hash{}
	}
	return Sum(n.Encode(nil))
}

// Encode appends the node's encoding to b: nothing for Empty; 1, value hash,
// key for Leaf; 2 then nibble and hash per child for Intermediate.
func (n Node) Encode(b []byte) []byte {
	switch n.Kind {
	case Leaf:
		b = append(b, byte(Leaf))
		b = append(b, n.Value[:]...)
		return append(b, n.Key...)
	case Intermediate:
		b = append(b, byte(Intermediate))
		for _, c := range n.Children {
			b = append(b, c.Nibble)
			b = append(b, c.Hash[:]...)
		}
	}
	return b
}

// Decode parses an encoding made by Encode; an empty input is Empty.
// Returned slices are copies.
func Decode(b []byte) (Node, error) {
	if len(b) == 0 {
		return Node{}, nil
	}
	switch Kind(b[0]) {
	case Leaf:
		if len(b) < 33 {
			return Node{}, fmt.Errorf("%w: leaf of %d bytes", ErrCorrupt, len(b))
		}
		n := Node{Kind: Leaf, Key: bytes.Clone(b[33:])}
		copy(n.Value[:], b[1:33])
		return n, nil
	case Intermediate:
		return decodeChildren(b[1:])
	}
	return Node{}, fmt.Errorf("%w: tag %d", ErrCorrupt, b[0])
}

func decodeChildren(b []byte) (Node, error) {
	if len(b)%33 != 0 || len(b) < 33 {
		return Node{}, fmt.Errorf("%w: intermediate of %d bytes", ErrCorrupt, len(b)+1)
	}
	n := Node{Kind: Intermediate, Children: make([]Child, len(b)/33)}
	for i := range n.Children {
		c := &n.Children[i]
		c.Nibble = b[i*33]
		copy(c.Hash[:], b[i*33+1:i*33+33])
		if c.Nibble > 15 || (i > 0 && c.Nibble <= n.Children[i-1].Nibble) {
			return Node{}, fmt.Errorf("%w: child nibbles out of order", ErrCorrupt)
		}
	}
	return n, nil
}

// Child returns the hash of the child at nibble (zero if absent).
func (n Node) Child(nibble byte) Hash {
	for _, c := range n.Children {
		if c.Nibble == nibble {
			return c.Hash
		}
	}
	return Hash{}
}

// withChild returns the children of n with nibble set to h, or removed if
// h is zero, kept in nibble order. n is not modified.
func (n Node) withChild(nibble byte, h Hash) []Child {
	out := make([]Child, 0, len(n.Children)+1)
	for _, c := range n.Children {
		if c.Nibble != nibble {
			out = append(out, c)
		}
	}
	if !h.IsZero() {
		out = append(out, Child{nibble, h})
		for i := len(out) - 1; i > 0 && out[i].Nibble < out[i-1].Nibble; i-- {
			out[i], out[i-1] = out[i-1], out[i]
		}
	}
	return out
}

// KeyHash returns the hash that places an item key in the trie.
func KeyHash(key []byte) Hash { return Sum(key) }

// Nibble returns nibble i (0 = high half of byte 0) of h.
func Nibble(h Hash, i int) byte {
	b := h[i/2]
	if i%2 == 0 {
		return b >> 4
	}
	return b & 15
}
