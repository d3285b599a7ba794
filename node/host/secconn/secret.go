package secconn

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SecretSize is the size in bytes of the cluster secret (rpc_secret).
const SecretSize = 32

// ParseSecret decodes the rpc_secret of the configuration: 64 hexadecimal
// characters, surrounding white space ignored. Its errors say what is wrong
// without echoing the secret.
func ParseSecret(s string) ([SecretSize]byte, error) {
	var out [SecretSize]byte
	s = strings.TrimSpace(s)
	if s == "" {
		return out, errors.New("rpc_secret is empty: want 64 hex characters (e.g. from `openssl rand -hex 32`)")
	}
	if len(s) != 2*SecretSize {
		return out, fmt.Errorf("rpc_secret has %d characters: want 64 hex characters (32 bytes)", len(s))
	}
	if _, err := hex.Decode(out[:], []byte(s)); err != nil {
		return [SecretSize]byte{}, fmt.Errorf("rpc_secret is not hexadecimal: %w", err)
	}
	return out, nil
}

// GenerateSecret returns a fresh random rpc_secret as 64 hex characters.
func GenerateSecret() string {
	var b [SecretSize]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
