package secconn

import (
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// Version is the protocol version this package speaks. Peers must agree.
const Version uint16 = 1

// Sizes of the handshake messages. They are fixed so that reading one never
// depends on a length an outsider could choose.
const (
	ephSize   = 32          // X25519 public key
	tagSize   = sha256.Size // HMAC-SHA256 tag
	helloSize = ephSize + 2 + tagSize
	proofSize = ed25519.PublicKeySize + ed25519.SignatureSize + chacha20poly1305.Overhead
)

// role tells the two sides' messages apart inside MACs and signatures.
type role byte

const (
	clientRole role = 'C'
	serverRole role = 'S'
)

// Domain-separation labels. Every MAC, signature and key derivation gets
// its own, so no value can be replayed in another slot.
const (
	labelHello      = "garage-go/secconn hello tag"
	labelMask       = "garage-go/secconn hello version mask"
	labelTranscript = "garage-go/secconn transcript"
	labelProof      = "garage-go/secconn identity proof"
	labelHandshake  = "garage-go/secconn handshake keys"
	labelSession    = "garage-go/secconn session keys"
)

// mac is HMAC-SHA256 keyed by the network secret over the concatenation of
// parts.
func mac(secret *[SecretSize]byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, secret[:])
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// sealHello builds a hello: eph ‖ (version XOR mask) ‖ tag. The mask and
// the tag are MACs under the network secret, so to an outsider a hello is
// 66 random-looking bytes. prior is the client hello when r is the server,
// which binds the server's answer to this very connection.
func sealHello(secret *[SecretSize]byte, r role, prior, eph []byte, version uint16) []byte {
	var v [2]byte
	binary.BigEndian.PutUint16(v[:], version)
	mask := mac(secret, []byte(labelMask), []byte{byte(r)}, prior, eph)
	tag := mac(secret, []byte(labelHello), []byte{byte(r)}, prior, eph, v[:])
	out := make([]byte, 0, helloSize)
	out = append(out, eph...)
	out = append(out, v[0]^mask[0], v[1]^mask[1])
	return append(out, tag...)
}

// openHello checks a hello's tag and returns its ephemeral key and version.
// The tag covers the unmasked version, so a valid tag with another version
// is a genuine version mismatch, never a wrong secret.
func openHello(secret *[SecretSize]byte, r role, prior, msg []byte) ([]byte, uint16, error) {
	eph := msg[:ephSize]
	mask := mac(secret, []byte(labelMask), []byte{byte(r)}, prior, eph)
	v := []byte{msg[ephSize] ^ mask[0], msg[ephSize+1] ^ mask[1]}
	tag := mac(secret, []byte(labelHello), []byte{byte(r)}, prior, eph, v)
	if !hmac.Equal(tag, msg[ephSize+2:]) {
		return nil, 0, ErrSecret
	}
	return eph, binary.BigEndian.Uint16(v), nil
}

// keyPair derives two directional AEADs from the ephemeral shared secret,
// salted with the network secret and bound to info.
func keyPair(shared []byte, secret *[SecretSize]byte, info string) (c2s, s2c cipher.AEAD, err error) {
	k, err := hkdf.Key(sha256.New, shared, secret[:], info, 2*chacha20poly1305.KeySize)
	if err != nil {
		return nil, nil, fmt.Errorf("derive keys: %w", err)
	}
	c2s, err = chacha20poly1305.New(k[:chacha20poly1305.KeySize])
	if err != nil {
		return nil, nil, fmt.Errorf("derive keys: %w", err)
	}
	s2c, err = chacha20poly1305.New(k[chacha20poly1305.KeySize:])
	if err != nil {
		return nil, nil, fmt.Errorf("derive keys: %w", err)
	}
	return c2s, s2c, nil
}

// proofMessage is what a side signs: its role, the transcript and, for the
// client, the server's public key (so the proof is addressed to one server).
func proofMessage(r role, transcript, addressee []byte) []byte {
	msg := append([]byte(labelProof), byte(r))
	msg = append(msg, transcript...)
	return append(msg, addressee...)
}

// sealProof builds an identity proof: AEAD(pub ‖ sig). Each handshake key
// seals exactly one message, so the zero nonce is never reused.
func sealProof(aead cipher.AEAD, transcript []byte, r role, key ed25519.PrivateKey, addressee []byte) []byte {
	sig := ed25519.Sign(key, proofMessage(r, transcript, addressee))
	plain := append(append([]byte{}, key.Public().(ed25519.PublicKey)...), sig...)
	nonce := make([]byte, chacha20poly1305.NonceSize)
	return aead.Seal(nil, nonce, plain, transcript)
}

// openProof decrypts and checks an identity proof and returns the prover's
// long-term public key.
func openProof(aead cipher.AEAD, transcript []byte, r role, msg, addressee []byte) (ed25519.PublicKey, error) {
	nonce := make([]byte, chacha20poly1305.NonceSize)
	plain, err := aead.Open(nil, nonce, msg, transcript)
	if err != nil {
		return nil, ErrAuth
	}
	pub := ed25519.PublicKey(plain[:ed25519.PublicKeySize])
	if !ed25519.Verify(pub, proofMessage(r, transcript, addressee), plain[ed25519.PublicKeySize:]) {
		return nil, ErrIdentity
	}
	return pub, nil
}

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
