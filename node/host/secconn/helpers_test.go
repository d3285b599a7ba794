package secconn

import (
	"bytes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/sha256"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gogarage/garage/node/host/nodekey"
)

// testKey returns a deterministic identity.
func testKey(b byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func testSecret(b byte) [SecretSize]byte {
	var s [SecretSize]byte
	copy(s[:], bytes.Repeat([]byte{b}, SecretSize))
	return s
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// result is one side's handshake outcome.
type result struct {
	conn *Conn
	peer ed25519.PublicKey
	err  error
}

// shake runs both sides over the two ends of a connection.
func shake(hc, hs *Handshaker, cEnd, sEnd net.Conn, expect ed25519.PublicKey) (client, server result) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		server.conn, server.peer, server.err = hs.Server(sEnd)
	}()
	client.conn, client.peer, client.err = hc.Client(cEnd, expect)
	wg.Wait()
	return client, server
}

// pipeShake runs a handshake over net.Pipe.
func pipeShake(hc, hs *Handshaker, expect ed25519.PublicKey) (client, server result) {
	a, b := net.Pipe()
	return shake(hc, hs, a, b, expect)
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(tb testing.TB) (net.Conn, net.Conn) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	var srv net.Conn
	var aerr error
	done := make(chan struct{})
	go func() {
		srv, aerr = ln.Accept()
		close(done)
	}()
	cli, err := net.Dial("tcp", ln.Addr().String())
	<-done
	if err != nil || aerr != nil {
		tb.Fatalf("tcp pair: dial %v, accept %v", err, aerr)
	}
	return cli, srv
}

// handshakers returns a client and a server sharing secret 1.
func handshakers() (*Handshaker, *Handshaker) {
	hc := &Handshaker{Secret: testSecret(1), Key: testKey(10), Timeout: 5 * time.Second}
	hs := &Handshaker{Secret: testSecret(1), Key: testKey(20), Timeout: 5 * time.Second}
	return hc, hs
}

// mustPair returns an established client/server pair or fails the test.
func mustPair(tb testing.TB, cEnd, sEnd net.Conn) (*Conn, *Conn) {
	tb.Helper()
	hc, hs := handshakers()
	c, s := shake(hc, hs, cEnd, sEnd, nil)
	if c.err != nil || s.err != nil {
		tb.Fatalf("handshake: client %v, server %v", c.err, s.err)
	}
	return c.conn, s.conn
}

// countingConn counts the bytes written through it.
type countingConn struct {
	net.Conn
	mu      sync.Mutex
	written int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.written += len(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *countingConn) Written() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written
}

// sendAll writes data in writes of size chunk, then reports the error.
func sendAll(w io.Writer, data []byte, chunk int) error {
	for len(data) > 0 {
		n := min(chunk, len(data))
		if _, err := w.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// digestOf reads exactly n bytes and returns their SHA-256.
func digestOf(r io.Reader, n int) ([32]byte, error) {
	h := sha256.New()
	_, err := io.CopyN(h, r, int64(n))
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, err
}

func idOf(p ed25519.PublicKey) string { return nodekey.ID(p).String() }

// recordingConn keeps a copy of everything written through it.
type recordingConn struct {
	net.Conn
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.buf.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *recordingConn) sent() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes())
}

// flippingConn flips one bit of the stream written through it.
type flippingConn struct {
	net.Conn
	bit int // index in the written stream
	off int // bytes written so far
}

func (c *flippingConn) Write(p []byte) (int, error) {
	q := bytes.Clone(p)
	if i := c.bit/8 - c.off; i >= 0 && i < len(q) {
		q[i] ^= 1 << (c.bit % 8)
	}
	c.off += len(p)
	return c.Conn.Write(q)
}

// fakeConn reads from a fixed input and collects what is written to it.
type fakeConn struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func newFakeConn(input []byte) *fakeConn { return &fakeConn{in: bytes.NewReader(input)} }

func (f *fakeConn) Read(p []byte) (int, error)       { return f.in.Read(p) }
func (f *fakeConn) Write(p []byte) (int, error)      { return f.out.Write(p) }
func (f *fakeConn) Close() error                     { return nil }
func (f *fakeConn) LocalAddr() net.Addr              { return fakeAddr{} }
func (f *fakeConn) RemoteAddr() net.Addr             { return fakeAddr{} }
func (f *fakeConn) SetDeadline(time.Time) error      { return nil }
func (f *fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (f *fakeConn) SetWriteDeadline(time.Time) error { return nil }

type fakeAddr struct{}

func (fakeAddr) Network() string { return "fake" }
func (fakeAddr) String() string  { return "fake" }

// testAEADs returns two independent session ciphers.
func testAEADs(tb testing.TB) (cipher.AEAD, cipher.AEAD) {
	tb.Helper()
	secret := testSecret(5)
	a, b, err := keyPair([]byte("shared"), &secret, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return a, b
}

// sealed returns the wire bytes of the frames a Conn sends for each write.
func sealed(tb testing.TB, send cipher.AEAD, writes ...[]byte) []byte {
	tb.Helper()
	f := newFakeConn(nil)
	c := newConn(f, send, send, nil)
	for _, w := range writes {
		if _, err := c.Write(w); err != nil {
			tb.Fatal(err)
		}
	}
	return f.out.Bytes()
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
