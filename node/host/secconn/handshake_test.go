package secconn

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestHandshakeIdentities(t *testing.T) {
	hc, hs := handshakers()
	c, s := pipeShake(hc, hs, pub(hs.Key))
	if c.err != nil || s.err != nil {
		t.Fatalf("handshake: client %v, server %v", c.err, s.err)
	}
	defer c.conn.Close()
	if !c.peer.Equal(pub(hs.Key)) || !c.conn.PeerKey().Equal(pub(hs.Key)) {
		t.Errorf("client sees peer %x, want server %x", c.peer, pub(hs.Key))
	}
	if !s.peer.Equal(pub(hc.Key)) || !s.conn.PeerKey().Equal(pub(hc.Key)) {
		t.Errorf("server sees peer %x, want client %x", s.peer, pub(hc.Key))
	}
}

func TestWrongSecret(t *testing.T) {
	hc, hs := handshakers()
	hc.Secret = testSecret(2)
	a, b := net.Pipe()
	wire := &countingConn{Conn: b}
	c, s := shake(hc, hs, a, wire, nil)
	if !errors.Is(s.err, ErrSecret) {
		t.Errorf("server err = %v, want ErrSecret", s.err)
	}
	if !errors.Is(c.err, ErrHangup) {
		t.Errorf("client err = %v, want ErrHangup", c.err)
	}
	if got := wire.Written(); got != 0 {
		t.Errorf("server wrote %d bytes to a client without the secret, want 0", got)
	}
	if s.conn != nil || c.conn != nil {
		t.Errorf("a side returned a connection after a failed handshake")
	}
}

// TestReplayedHelloLearnsNothing replays a genuine client hello from an
// attacker without the secret: the server answers, but its answer names no
// identity and it accepts nothing that follows.
func TestReplayedHelloLearnsNothing(t *testing.T) {
	hc, hs := handshakers()
	a, b := net.Pipe()
	rec := &recordingConn{Conn: a}
	if c, s := shake(hc, hs, rec, b, nil); c.err != nil || s.err != nil {
		t.Fatalf("genuine handshake: client %v, server %v", c.err, s.err)
	}
	hello := rec.sent()[:helloSize]

	attacker, victim := net.Pipe()
	done := make(chan error, 1)
	go func() { _, _, err := hs.Server(victim); done <- err }()
	attacker.Write(hello)
	answer := make([]byte, helloSize+proofSize)
	if _, err := io.ReadFull(attacker, answer); err != nil {
		t.Fatalf("read server answer: %v", err)
	}
	if bytes.Contains(answer, pub(hs.Key)) || bytes.Contains(answer, pub(hc.Key)) {
		t.Errorf("server answer contains an identity in clear")
	}
	attacker.Write(bytes.Repeat([]byte{0x42}, proofSize))
	if err := <-done; !errors.Is(err, ErrAuth) {
		t.Errorf("server err = %v, want ErrAuth", err)
	}
}

func TestWrongExpectedPeer(t *testing.T) {
	hc, hs := handshakers()
	c, s := pipeShake(hc, hs, pub(testKey(99)))
	var pe *PeerError
	if !errors.As(c.err, &pe) {
		t.Fatalf("client err = %v, want *PeerError", c.err)
	}
	if !strings.Contains(c.err.Error(), "unexpected peer identity") {
		t.Errorf("client err %q does not say what went wrong", c.err)
	}
	// The client hung up before revealing its own identity.
	if !errors.Is(s.err, ErrHangup) {
		t.Errorf("server err = %v, want ErrHangup", s.err)
	}
}

func TestVersionMismatch(t *testing.T) {
	tests := []struct {
		name           string
		client, server uint16
	}{
		{"newer client", 2, 1},
		{"newer server", 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc, hs := handshakers()
			hc.version, hs.version = tt.client, tt.server
			c, s := pipeShake(hc, hs, nil)
			checkVersionErr(t, "client", c.err, tt.client, tt.server)
			checkVersionErr(t, "server", s.err, tt.server, tt.client)
		})
	}
}

func checkVersionErr(t *testing.T, side string, err error, local, remote uint16) {
	t.Helper()
	var ve *VersionError
	if !errors.As(err, &ve) {
		t.Fatalf("%s err = %v, want *VersionError", side, err)
	}
	if got, want := *ve, (VersionError{Local: local, Remote: remote}); got != want {
		t.Errorf("%s version error = %+v, want %+v", side, got, want)
	}
	if !strings.Contains(err.Error(), "protocol version mismatch") {
		t.Errorf("%s err %q is not clear", side, err)
	}
}

// TestTamperedHandshake flips one bit anywhere in the client's handshake
// bytes: the server must refuse every time.
func TestTamperedHandshake(t *testing.T) {
	for bit := 0; bit < 8*(helloSize+proofSize); bit += 7 {
		hc, hs := handshakers()
		a, b := net.Pipe()
		flip := &flippingConn{Conn: a, bit: bit}
		_, s := shake(hc, hs, flip, b, nil)
		if s.err == nil {
			t.Fatalf("bit %d: server accepted a tampered handshake", bit)
		}
	}
}

func TestHandshakeTimeout(t *testing.T) {
	_, hs := handshakers()
	hs.Timeout = 20 * time.Millisecond
	a, b := net.Pipe()
	defer a.Close()
	_, _, err := hs.Server(b)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("server err = %v, want a timeout", err)
	}
}

func TestBadKey(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	_, _, err := Client(a, testSecret(1), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "node key is 0 bytes") {
		t.Fatalf("Client with nil key: err = %v", err)
	}
}

func TestHook(t *testing.T) {
	hc, hs := handshakers()
	a, b := net.Pipe()
	type out struct {
		c   net.Conn
		id  string
		err error
	}
	done := make(chan out, 1)
	go func() {
		c, id, err := Hook(hs.Secret, hs.Key)(b, false)
		done <- out{c, id.String(), err}
	}()
	cc, cid, cerr := Hook(hc.Secret, hc.Key)(a, true)
	so := <-done
	if cerr != nil || so.err != nil {
		t.Fatalf("hook: client %v, server %v", cerr, so.err)
	}
	if got, want := string(cid), idOf(pub(hs.Key)); got != want {
		t.Errorf("client hook id = %s, want %s", got, want)
	}
	if got, want := so.id, idOf(pub(hc.Key)); got != want {
		t.Errorf("server hook id = %s, want %s", got, want)
	}
	go cc.Write([]byte("ping"))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(so.c, buf); err != nil || string(buf) != "ping" {
		t.Errorf("hook conn read %q, %v; want ping", buf, err)
	}
}

func TestHookFailureReturnsNilConn(t *testing.T) {
	hc, hs := handshakers()
	hc.Secret = testSecret(3)
	a, b := net.Pipe()
	go Hook(hs.Secret, hs.Key)(b, false)
	c, id, err := Hook(hc.Secret, hc.Key)(a, true)
	if err == nil || c != nil || id != "" {
		t.Fatalf("hook with wrong secret = %v, %q, %v; want nil, \"\", error", c, id, err)
	}
}
