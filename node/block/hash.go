package block

import (
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/blake2b"
)

// Hash identifies a block: the BLAKE2b-256 of its plaintext.
type Hash [32]byte

// Sum returns the hash of data.
func Sum(data []byte) Hash { return blake2b.Sum256(data) }

// String returns the hash in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash parses the 64-character hex form of a hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, fmt.Errorf("block hash %q: want %d hex digits", s, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("block hash %q: %w", s, err)
	}
	return h, nil
}

// hashOf reads a hash from the first 32 bytes of b.
func hashOf(b []byte) (Hash, error) {
	var h Hash
	if len(b) < len(h) {
		return h, fmt.Errorf("block hash: %d bytes, want %d", len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}
