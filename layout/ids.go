package layout

import (
	"encoding/hex"
	"fmt"
)

// NodeID names a node. It has the same form as the node runtime's id (hex of
// a public key, or a short name in the simulator); layout only compares and
// sorts ids.
type NodeID string

func (id NodeID) String() string { return string(id) }

// Short returns the first 16 characters of the id, for tables.
func (id NodeID) Short() string {
	if len(id) > 16 {
		return string(id[:16])
	}
	return string(id)
}

// Partition numbers a partition, in [0, 2^PartitionBits).
type Partition uint16

func (p Partition) String() string { return fmt.Sprintf("p%d", uint16(p)) }

// Hash is a 32-byte key hash (BLAKE2b-256 of a partition key in Garage).
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Timestamp is a last-writer-wins stamp, in milliseconds since the Unix
// epoch by convention. Callers read their clock; this package never does.
type Timestamp uint64

// Limits of the partition count.
const (
	DefaultPartitionBits = 8  // 256 partitions, as in Garage
	MaxPartitionBits     = 16 // partition numbers fit a uint16
)

// PartitionOf returns the partition of h among 2^bits partitions: the top
// bits of the hash. It panics if bits is outside [0, MaxPartitionBits].
func PartitionOf(h Hash, bits int) Partition {
	if bits < 0 || bits > MaxPartitionBits {
		panic(fmt.Sprintf("layout: partition bits %d outside [0, %d]", bits, MaxPartitionBits))
	}
	if bits == 0 {
		return 0
	}
	top := uint16(h[0])<<8 | uint16(h[1])
	return Partition(top >> (16 - bits))
}

// FirstHash returns the smallest hash of partition p among 2^bits
// partitions; partition p covers [FirstHash(p), FirstHash(p+1)).
func FirstHash(p Partition, bits int) Hash {
	var h Hash
	if bits == 0 {
		return h
	}
	top := uint16(p) << (16 - bits)
	h[0], h[1] = byte(top>>8), byte(top)
	return h
}
