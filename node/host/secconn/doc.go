// Package secconn secures the connections of the RPC mesh: a handshake
// authenticated by the cluster secret (rpc_secret) and the nodes' long-term
// ed25519 identities, then an encrypted, framed stream (Conn).
//
// It is our own design in the spirit of Scuttlebutt's secret handshake and
// Noise XX with a pre-shared key. Notation: K is the 32-byte network secret;
// e_c, e_s are fresh X25519 keys; A, B the client's and server's ed25519
// identities; MAC is HMAC-SHA256 keyed by K; every MAC, signature and key
// derivation starts with its own label (omitted below).
//
//	m1  C → S  hello_c = e_c ‖ (v_c ⊕ MAC(C, e_c)[:2]) ‖ MAC(C, e_c, v_c)
//	           S checks the tag; if it fails S closes without sending a byte.
//	m2  S → C  hello_s = e_s ‖ (v_s ⊕ MAC(S, hello_c, e_s)[:2]) ‖ MAC(S, hello_c, e_s, v_s)
//	           C checks the tag; both check v_c = v_s (else *VersionError).
//	           Both: ee = X25519(e_c, e_s), T = MAC(hello_c, hello_s),
//	           (hk_cs, hk_sc) = HKDF-SHA256(ikm ee, salt K, info T).
//	m3  S → C  AEAD(hk_sc, B ‖ sign_B(S, T))   (sent with m2)
//	           C checks the signature and, if it expects a peer, that B is it.
//	m4  C → S  AEAD(hk_cs, A ‖ sign_A(C, T, B))
//	           S checks the signature.
//	           Both: (k_cs, k_sc) = HKDF-SHA256(ikm ee, salt K, info T ‖ A ‖ B).
//
// Properties. A party without K cannot produce a valid hello, so a server
// sends nothing to it and accepts nothing from it; what it sees of a genuine
// exchange are X25519 keys and MACs — random-looking bytes, versions masked —
// so it learns no identity and no version. The server's hello is bound to
// the client's, so it cannot be replayed into another connection; a
// replayed client hello earns a server hello but no way to compute ee.
// Identities travel only under keys from ee, after the peer proved K, and
// each signature covers the transcript T (hence both ephemeral keys), so a
// proof cannot be reused in another session; the client's proof also names
// the server it is meant for. The client checks the server's identity before
// revealing its own. Session keys are forward secret (ephemeral ee) and
// bound to both identities. The hello layout and its MACs are frozen across
// versions so that a version mismatch is always reported as one, on both
// sides, rather than as a wrong secret. Each handshake key seals a single
// message, so its zero nonce is never reused. The whole handshake runs under
// a deadline (Handshaker.Timeout).
//
// After the handshake each direction is a sequence of frames:
//
//	len (4 bytes, big-endian, ciphertext length) ‖ ChaCha20-Poly1305(k, nonce = 0⁴ ‖ n⁸, aad = len)
//
// where n counts the direction's frames from zero and a frame carries at
// most MaxFrame (64 KiB) of plaintext. The reader expects exactly the next
// n, so a replayed, reordered, dropped, truncated or altered frame fails to
// open; that closes the connection and the error sticks.
//
// Hook adapts the handshake to the real driver's connection hook. secconn
// belongs to the real driver (node/host): it reads crypto/rand and the wall
// clock (deadlines) and must not be imported by simulated node code.
package secconn
