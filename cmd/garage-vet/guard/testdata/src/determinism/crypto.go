package determinism

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"io"
)

// Since Go 1.26 these ignore the reader they are given and read
// crypto/rand.
func keys(r io.Reader, priv *ecdsa.PrivateKey, digest []byte) {
	_, _ = ecdh.X25519().GenerateKey(r)          // want "crypto-rand: use of crypto/ecdh.Curve.GenerateKey"
	_, _ = ecdsa.GenerateKey(elliptic.P256(), r) // want "crypto-rand: use of crypto/ecdsa.GenerateKey"
	_, _ = ecdsa.SignASN1(r, priv, digest)       // want "crypto-rand: use of crypto/ecdsa.SignASN1"
	_, _ = priv.Sign(r, digest, crypto.SHA256)   // want "crypto-rand: use of crypto/ecdsa.PrivateKey.Sign"
	_, _ = rsa.GenerateKey(r, 2048)              // want "crypto-rand: use of crypto/rsa.GenerateKey"
}
