package secconn

import (
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// DefaultHandshakeTimeout bounds a whole handshake when Handshaker.Timeout
// is zero.
const DefaultHandshakeTimeout = 10 * time.Second

// Handshaker holds one node's handshake parameters. The zero Timeout means
// DefaultHandshakeTimeout; the handshake owns c's deadlines while it runs
// and clears them when it succeeds. A Handshaker is immutable once in use and safe
// for concurrent handshakes.
type Handshaker struct {
	Secret  [SecretSize]byte   // the cluster's rpc_secret
	Key     ed25519.PrivateKey // this node's long-term identity
	Timeout time.Duration      // bound on a whole handshake

	version uint16    // 0 means Version; tests set others
	rand    io.Reader // nil means crypto/rand; tests set a fixed stream
}

// Client runs the initiator's side of the handshake over c with the default
// timeout. See Handshaker.Client.
func Client(c net.Conn, secret [SecretSize]byte, key ed25519.PrivateKey, expectPeer ed25519.PublicKey) (*Conn, ed25519.PublicKey, error) {
	h := &Handshaker{Secret: secret, Key: key}
	return h.Client(c, expectPeer)
}

// Server runs the responder's side of the handshake over c with the default
// timeout. See Handshaker.Server.
func Server(c net.Conn, secret [SecretSize]byte, key ed25519.PrivateKey) (*Conn, ed25519.PublicKey, error) {
	h := &Handshaker{Secret: secret, Key: key}
	return h.Server(c)
}

// Client authenticates c as the initiator and returns the encrypted
// connection and the server's long-term public key. A non-nil expectPeer
// must equal that key, or the handshake fails with a *PeerError before the
// client has revealed its own identity. On any error c is closed.
func (h *Handshaker) Client(c net.Conn, expectPeer ed25519.PublicKey) (*Conn, ed25519.PublicKey, error) {
	var conn *Conn
	err := h.check()
	if err == nil {
		h.arm(c)
		conn, err = h.client(c, expectPeer)
	}
	return h.finish(c, conn, err, "client")
}

// Server authenticates c as the responder and returns the encrypted
// connection and the client's long-term public key. A client without the
// network secret gets no byte back: the server closes c as soon as the
// client hello fails its check. On any error c is closed.
func (h *Handshaker) Server(c net.Conn) (*Conn, ed25519.PublicKey, error) {
	var conn *Conn
	err := h.check()
	if err == nil {
		h.arm(c)
		conn, err = h.server(c)
	}
	return h.finish(c, conn, err, "server")
}

// check rejects a Handshaker that cannot run, before any byte is sent.
func (h *Handshaker) check() error {
	if len(h.Key) != ed25519.PrivateKeySize {
		return fmt.Errorf("node key is %d bytes, want %d", len(h.Key), ed25519.PrivateKeySize)
	}
	return nil
}

// arm bounds the handshake with a deadline on c.
func (h *Handshaker) arm(c net.Conn) {
	t := h.Timeout
	if t <= 0 {
		t = DefaultHandshakeTimeout
	}
	c.SetDeadline(time.Now().Add(t))
}

// finish clears the handshake deadline on success and closes c on failure.
func (h *Handshaker) finish(c net.Conn, conn *Conn, err error, side string) (*Conn, ed25519.PublicKey, error) {
	if err == nil {
		err = c.SetDeadline(time.Time{})
	}
	if err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("secconn: %s handshake with %s: %w", side, c.RemoteAddr(), err)
	}
	return conn, conn.peer, nil
}

// session is the state both sides share once the hellos are exchanged.
type session struct {
	shared     []byte // X25519(e_c, e_s)
	transcript []byte // MAC of both hellos under the network secret
	c2s, s2c   cipher.AEAD
}

func (h *Handshaker) ver() uint16 {
	if h.version == 0 {
		return Version
	}
	return h.version
}

// ephemeral draws a fresh X25519 key.
func (h *Handshaker) ephemeral() (*ecdh.PrivateKey, error) {
	r := h.rand
	if r == nil {
		r = rand.Reader
	}
	var seed [32]byte
	if _, err := io.ReadFull(r, seed[:]); err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	return ecdh.X25519().NewPrivateKey(seed[:])
}

// newSession computes the shared secret, the transcript and the handshake
// keys from our ephemeral key and both hellos.
func (h *Handshaker) newSession(eph *ecdh.PrivateKey, peerEph, hello1, hello2 []byte) (*session, error) {
	pub, err := ecdh.X25519().NewPublicKey(peerEph)
	if err != nil {
		return nil, fmt.Errorf("peer ephemeral key: %w", err)
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("peer ephemeral key: %w", err)
	}
	s := &session{shared: shared, transcript: mac(&h.Secret, []byte(labelTranscript), hello1, hello2)}
	s.c2s, s.s2c, err = keyPair(shared, &h.Secret, labelHandshake+string(s.transcript))
	return s, err
}

// conn derives the session keys, bound to both identities, and wraps c.
func (s *session) conn(c net.Conn, secret *[SecretSize]byte, client, server ed25519.PublicKey, initiator bool) (*Conn, error) {
	info := labelSession + string(s.transcript) + string(client) + string(server)
	c2s, s2c, err := keyPair(s.shared, secret, info)
	if err != nil {
		return nil, err
	}
	if initiator {
		return newConn(c, c2s, s2c, server), nil
	}
	return newConn(c, s2c, c2s, client), nil
}

// readMsg reads exactly n bytes; an early end of stream is ErrHangup.
func readMsg(c net.Conn, n int, what string) ([]byte, error) {
	buf := make([]byte, n)
	_, err := io.ReadFull(c, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%w: %w", ErrHangup, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return buf, nil
}

func writeMsg(c net.Conn, msg []byte, what string) error {
	if _, err := c.Write(msg); err != nil {
		return fmt.Errorf("send %s: %w", what, err)
	}
	return nil
}

// Hook returns a connection hook for the real driver, with the default
// handshake timeout. See Handshaker.Hook.
func Hook(secret [SecretSize]byte, key ed25519.PrivateKey) func(net.Conn, bool) (net.Conn, rt.NodeID, error) {
	h := &Handshaker{Secret: secret, Key: key}
	return h.Hook()
}

// Hook returns a connection hook for the real driver: it runs the client
// side of the handshake when initiator is true and the server side
// otherwise, and returns the encrypted connection with the peer's node id.
// It accepts any peer that knows the secret; a dialler that knows whom it
// meant to reach compares the returned id. On error the raw connection is
// closed.
func (h *Handshaker) Hook() func(net.Conn, bool) (net.Conn, rt.NodeID, error) {
	return func(c net.Conn, initiator bool) (net.Conn, rt.NodeID, error) {
		var conn *Conn
		var err error
		if initiator {
			conn, _, err = h.Client(c, nil)
		} else {
			conn, _, err = h.Server(c)
		}
		if err != nil {
			return nil, "", err
		}
		return conn, conn.PeerID(), nil
	}
}
