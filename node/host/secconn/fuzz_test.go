package secconn

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
)

// fixedRand returns a reader of a repeating byte, so a handshaker's
// ephemeral key is the same on every run.
func fixedRand(b byte) io.Reader { return bytes.NewReader(bytes.Repeat([]byte{b}, 32)) }

// fuzzServer returns a server whose ephemeral key is fixed, so a recorded
// client transcript replays against it.
func fuzzServer() *Handshaker {
	return &Handshaker{Secret: testSecret(1), Key: testKey(20), rand: fixedRand(0x55)}
}

// validTranscript records what a genuine client sends to fuzzServer: its
// handshake messages and then two application frames.
func validTranscript(tb testing.TB) []byte {
	tb.Helper()
	hc := &Handshaker{Secret: testSecret(1), Key: testKey(10), rand: fixedRand(0x33)}
	a, b := net.Pipe()
	rec := &recordingConn{Conn: a}
	c, s := shake(hc, fuzzServer(), rec, b, nil)
	if c.err != nil || s.err != nil {
		tb.Fatalf("handshake: client %v, server %v", c.err, s.err)
	}
	go io.Copy(io.Discard, s.conn)
	c.conn.Write([]byte("first frame"))
	c.conn.Write(bytes.Repeat([]byte("z"), 3000))
	c.conn.Close()
	return rec.sent()
}

// FuzzServerHandshake feeds arbitrary client bytes to a server. It must
// never panic, never answer a bad hello, and never complete a handshake
// unless the input starts with the genuine client messages.
func FuzzServerHandshake(f *testing.F) {
	valid := validTranscript(f)
	hs := helloSize + proofSize
	f.Add(valid)
	f.Add(valid[:hs])
	f.Add(valid[:helloSize])
	f.Add(append(bytes.Clone(valid[:hs]), 0, 0, 0, 17, 1, 2))
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 500))
	f.Fuzz(func(t *testing.T, input []byte) {
		conn := newFakeConn(input)
		c, _, err := fuzzServer().Server(conn)
		if !validHello(input) && conn.out.Len() != 0 {
			t.Fatalf("server answered an invalid hello with %d bytes", conn.out.Len())
		}
		if err != nil {
			return
		}
		if !bytes.Equal(input[:hs], valid[:hs]) {
			t.Fatalf("server completed a handshake with forged messages")
		}
		_, err = io.Copy(io.Discard, c)
		if err != nil && !errors.Is(err, ErrAuth) && !errors.Is(err, ErrFrame) && err != io.ErrUnexpectedEOF {
			t.Fatalf("reading frames: unexpected error %v", err)
		}
	})
}

func validHello(input []byte) bool {
	if len(input) < helloSize {
		return false
	}
	secret := testSecret(1)
	_, _, err := openHello(&secret, clientRole, nil, input[:helloSize])
	return err == nil
}

// TestValidTranscriptReplays guards the fuzz seed: the recorded transcript
// must get through the handshake and deliver its frames.
func TestValidTranscriptReplays(t *testing.T) {
	valid := validTranscript(t)
	c, _, err := fuzzServer().Server(newFakeConn(valid))
	if err != nil {
		t.Fatalf("replayed transcript refused: %v", err)
	}
	got, err := io.ReadAll(c)
	if err != nil || !bytes.HasPrefix(got, []byte("first frame")) || len(got) != 11+3000 {
		t.Fatalf("replayed frames = %d bytes, %v", len(got), err)
	}
}
