package model

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
)

// UUID identifies a bucket, an object version or a multipart upload: 32
// random bytes, as in Garage. It prints as 64 hex digits.
type UUID [32]byte

// NewUUID draws a UUID from the node's random stream.
func NewUUID(r rt.Rand) UUID {
	var u UUID
	r.Read(u[:])
	return u
}

// ParseUUID parses 64 hex digits.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(u) {
		return u, fmt.Errorf("bad id %q: want 64 hex digits", s)
	}
	copy(u[:], b)
	return u, nil
}

func (u UUID) String() string { return hex.EncodeToString(u[:]) }

// IsZero reports whether u is the zero UUID (no id).
func (u UUID) IsZero() bool { return u == UUID{} }

// Encode appends the 32 bytes.
func (u UUID) Encode(b []byte) []byte { return append(b, u[:]...) }

// Decode reads 32 bytes.
func (UUID) Decode(b []byte) (UUID, []byte, error) {
	d := decoder{b: b}
	u := UUID(d.fixed32())
	rest, err := d.done("uuid")
	return u, rest, err
}

// Hash is the hash of a data block: the block manager's.
type Hash = block.Hash

// Key ids and secrets, as in Garage: "GK" and 24 hex digits, and 64 hex
// digits.
const (
	KeyIDPrefix = "GK"
	keyIDHex    = 24
	secretHex   = 64
)

// NewKeyID draws an access key id from r.
func NewKeyID(r rt.Rand) string { return KeyIDPrefix + randHex(r, keyIDHex/2) }

// NewSecret draws a secret key from r.
func NewSecret(r rt.Rand) string { return randHex(r, secretHex/2) }

func randHex(r rt.Rand, n int) string {
	b := make([]byte, n)
	r.Read(b)
	return hex.EncodeToString(b)
}

// CheckKeyID reports whether id has the form of an access key id.
func CheckKeyID(id string) error {
	rest, ok := strings.CutPrefix(id, KeyIDPrefix)
	if _, err := hex.DecodeString(rest); !ok || err != nil || len(rest) != keyIDHex {
		return fmt.Errorf("bad access key id %q: want %s and %d hex digits", id, KeyIDPrefix, keyIDHex)
	}
	return nil
}

// CheckSecret reports whether s has the form of a secret key.
func CheckSecret(s string) error {
	if _, err := hex.DecodeString(s); err != nil || len(s) != secretHex {
		return fmt.Errorf("bad secret key: want %d hex digits", secretHex)
	}
	return nil
}

var _ crdt.Value[UUID] = UUID{}
