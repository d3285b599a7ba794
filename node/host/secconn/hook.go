package secconn

import (
	"crypto/ed25519"
	"net"

	"github.com/gogarage/garage/node/rt"
)

// Hook returns a connection hook for the real driver: it runs the client
// side of the handshake when initiator is true and the server side
// otherwise, and returns the encrypted connection with the peer's node id.
// It accepts any peer that knows the secret; a dialler that knows whom it
// meant to reach compares the returned id. On error the raw connection is
// closed.
func Hook(secret [SecretSize]byte, key ed25519.PrivateKey) func(net.Conn, bool) (net.Conn, rt.NodeID, error) {
	h := &Handshaker{Secret: secret, Key: key}
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
