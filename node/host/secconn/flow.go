package secconn

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net"
)

// client is the initiator's message flow (see doc.go): hello →,
// ← hello ‖ server proof, client proof →.
func (h *Handshaker) client(c net.Conn, expect ed25519.PublicKey) (*Conn, error) {
	eph, err := h.ephemeral()
	if err != nil {
		return nil, err
	}
	hello1 := sealHello(&h.Secret, clientRole, nil, eph.PublicKey().Bytes(), h.ver())
	if err := writeMsg(c, hello1, "client hello"); err != nil {
		return nil, err
	}
	hello2, err := readMsg(c, helloSize, "server hello")
	if err != nil {
		return nil, err
	}
	s, err := h.clientSession(eph, hello1, hello2)
	if err != nil {
		return nil, err
	}
	server, err := h.serverProof(c, s, expect)
	if err != nil {
		return nil, err
	}
	proof := sealProof(s.c2s, s.transcript, clientRole, h.Key, server)
	if err := writeMsg(c, proof, "client proof"); err != nil {
		return nil, err
	}
	return s.conn(c, &h.Secret, h.public(), server, true)
}

// clientSession checks the server hello and opens the session.
func (h *Handshaker) clientSession(eph *ecdh.PrivateKey, hello1, hello2 []byte) (*session, error) {
	peerEph, v, err := openHello(&h.Secret, serverRole, hello1, hello2)
	if err != nil {
		return nil, fmt.Errorf("server hello: %w", err)
	}
	if v != h.ver() {
		return nil, &VersionError{Local: h.ver(), Remote: v}
	}
	return h.newSession(eph, peerEph, hello1, hello2)
}

// serverProof reads and checks the server's identity proof against the
// expected key, if any.
func (h *Handshaker) serverProof(c net.Conn, s *session, expect ed25519.PublicKey) (ed25519.PublicKey, error) {
	msg, err := readMsg(c, proofSize, "server proof")
	if err != nil {
		return nil, err
	}
	server, err := openProof(s.s2c, s.transcript, serverRole, msg, nil)
	if err != nil {
		return nil, fmt.Errorf("server proof: %w", err)
	}
	if expect != nil && !expect.Equal(server) {
		return nil, &PeerError{Want: hex.EncodeToString(expect), Got: hex.EncodeToString(server)}
	}
	return server, nil
}

// server is the responder's message flow (see doc.go). Nothing is written
// before the client hello has proved knowledge of the network secret.
func (h *Handshaker) server(c net.Conn) (*Conn, error) {
	hello1, err := readMsg(c, helloSize, "client hello")
	if err != nil {
		return nil, err
	}
	peerEph, v, err := openHello(&h.Secret, clientRole, nil, hello1)
	if err != nil {
		return nil, fmt.Errorf("client hello: %w", err)
	}
	eph, err := h.ephemeral()
	if err != nil {
		return nil, err
	}
	hello2 := sealHello(&h.Secret, serverRole, hello1, eph.PublicKey().Bytes(), h.ver())
	if v != h.ver() {
		// The client knows the secret: tell it our version so it can say so.
		writeMsg(c, hello2, "server hello")
		return nil, &VersionError{Local: h.ver(), Remote: v}
	}
	s, err := h.newSession(eph, peerEph, hello1, hello2)
	if err != nil {
		return nil, err
	}
	proof := sealProof(s.s2c, s.transcript, serverRole, h.Key, nil)
	if err := writeMsg(c, append(hello2, proof...), "server hello"); err != nil {
		return nil, err
	}
	return h.clientProof(c, s)
}

// clientProof reads and checks the client's identity proof, which must be
// addressed to us, and opens the connection.
func (h *Handshaker) clientProof(c net.Conn, s *session) (*Conn, error) {
	msg, err := readMsg(c, proofSize, "client proof")
	if err != nil {
		return nil, err
	}
	client, err := openProof(s.c2s, s.transcript, clientRole, msg, h.public())
	if err != nil {
		return nil, fmt.Errorf("client proof: %w", err)
	}
	return s.conn(c, &h.Secret, client, h.public(), false)
}

func (h *Handshaker) public() ed25519.PublicKey {
	return h.Key.Public().(ed25519.PublicKey)
}
