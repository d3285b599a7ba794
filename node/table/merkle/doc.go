// Package merkle keeps one Merkle trie per partition of a table, stored in a
// tree of the node's ordered KV store, so that two replicas can find the
// items on which they differ by comparing a few hashes instead of every item.
//
// The trie is radix 16 over the nibbles of BLAKE2b-256(item key). A node is
// empty (absent), a leaf holding one item key and the hash of its value, or
// an intermediate node listing its non-empty children by nibble, each with
// the child's hash. The shape is canonical: a subtree holding exactly one
// item is a leaf, never an intermediate node, so the root hash of a
// partition depends only on the set of (key, value hash) pairs it holds,
// not on the order in which they were inserted or removed. A node's hash
// covers its tag, its leaf content or its children's hashes.
//
// Nodes are stored under partition (2 bytes, big endian) || prefix (one
// byte per nibble). Every function works inside a caller's KV transaction
// and is pure otherwise: no clock, no randomness, no I/O beyond the
// transaction.
package merkle
