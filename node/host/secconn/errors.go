package secconn

import (
	"errors"
	"fmt"
)

// ErrSecret reports a peer whose hello does not carry a valid tag under our
// network secret: it does not know the cluster's rpc_secret (or is not
// speaking this protocol at all).
var ErrSecret = errors.New("peer does not know the network secret (rpc_secret mismatch?)")

// ErrHangup reports a peer that closed the connection during the handshake.
// A server closes without a word when the client's hello fails its secret
// check, so this is what a client with the wrong rpc_secret sees.
var ErrHangup = errors.New("peer closed the connection during the handshake (rpc_secret mismatch?)")

// ErrAuth reports a message or frame that failed authentication: it was
// forged, tampered with, replayed, reordered or dropped. The connection is
// closed when it happens.
var ErrAuth = errors.New("message authentication failed")

// ErrIdentity reports an invalid proof of a peer's long-term identity.
var ErrIdentity = errors.New("peer identity proof is invalid")

// ErrFrame reports a frame whose header is malformed.
var ErrFrame = errors.New("malformed frame")

// PeerError reports a peer whose identity is not the one expected.
type PeerError struct {
	Want, Got string // hex public keys
}

func (e *PeerError) Error() string {
	return fmt.Sprintf("unexpected peer identity: want %.16s…, got %.16s…", e.Want, e.Got)
}

// VersionError reports a peer that speaks another protocol version. Both
// sides see it: the hello layout is frozen across versions so that a
// mismatch is always reported as such.
type VersionError struct {
	Local, Remote uint16
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("protocol version mismatch: we speak v%d, peer speaks v%d", e.Local, e.Remote)
}
