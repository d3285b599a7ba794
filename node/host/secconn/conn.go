package secconn

import (
	"bufio"
	"crypto/cipher"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/rt"
)

// MaxFrame is the largest plaintext carried by one frame (64 KiB).
const MaxFrame = 64 << 10

// headerSize is the frame header: the ciphertext length, big-endian. It is
// sent in clear but authenticated as the AEAD's additional data.
const headerSize = 4

const overhead = chacha20poly1305.Overhead

// readBuffer is the size of the read-ahead buffer. Reads at least this large
// into an empty buffer bypass it, so big frames are not copied twice.
const readBuffer = 16 << 10

// Conn is an authenticated, encrypted stream over a net.Conn, produced by a
// handshake. Each Write is cut into frames of at most MaxFrame plaintext
// bytes, sealed with ChaCha20-Poly1305 under the direction's session key and
// a nonce that counts frames from zero; the reader expects exactly the next
// count, so a replayed, reordered, dropped or altered frame fails to open.
// Such a failure closes the underlying connection and every later Read
// returns it. Read and Write may be called concurrently; concurrent Writes
// do not interleave.
type Conn struct {
	c    net.Conn
	r    *bufio.Reader // over c: small frames cost one syscall per batch
	peer ed25519.PublicKey

	rmu sync.Mutex
	in  half
	wmu sync.Mutex
	out half
}

var _ net.Conn = (*Conn)(nil)

// half is one direction's state, guarded by its Conn mutex.
type half struct {
	aead  cipher.AEAD
	seq   uint64 // frames opened (in) or sealed (out) so far
	nonce [chacha20poly1305.NonceSize]byte
	buf   []byte // header + ciphertext of the frame in flight
	n     int    // inbound: bytes of buf received so far
	plain []byte // inbound: opened bytes not yet returned
	err   error  // sticky failure
}

func newConn(c net.Conn, send, recv cipher.AEAD, peer ed25519.PublicKey) *Conn {
	return &Conn{
		c:    c,
		r:    bufio.NewReaderSize(c, readBuffer),
		peer: peer,
		in:   half{aead: recv, buf: make([]byte, headerSize+MaxFrame+overhead)},
		out:  half{aead: send, buf: make([]byte, headerSize+MaxFrame+overhead)},
	}
}

// nonceNow returns the nonce of frame number seq. The caller advances seq
// once the frame is sealed or opened.
func (h *half) nonceNow() ([]byte, error) {
	if h.seq == ^uint64(0) {
		return nil, errors.New("frame counter exhausted")
	}
	binary.BigEndian.PutUint64(h.nonce[4:], h.seq)
	return h.nonce[:], nil
}

// PeerKey returns the peer's long-term public key.
func (c *Conn) PeerKey() ed25519.PublicKey { return c.peer }

// PeerID returns the peer's node id.
func (c *Conn) PeerID() rt.NodeID { return nodekey.ID(c.peer) }

// Write seals p into frames and sends them. Any error is permanent: a
// partly sent frame would desynchronise the stream.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.out.err != nil {
		return 0, c.out.err
	}
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), MaxFrame)]
		if err := c.writeFrame(chunk); err != nil {
			c.out.err = err
			return n, err
		}
		n += len(chunk)
		p = p[len(chunk):]
	}
	return n, nil
}

func (c *Conn) writeFrame(chunk []byte) error {
	o := &c.out
	nonce, err := o.nonceNow()
	if err != nil {
		return fmt.Errorf("secconn: write: %w", err)
	}
	binary.BigEndian.PutUint32(o.buf, uint32(len(chunk)+overhead))
	sealed := o.aead.Seal(o.buf[headerSize:headerSize], nonce, chunk, o.buf[:headerSize])
	o.seq++
	_, err = c.c.Write(o.buf[:headerSize+len(sealed)])
	return err
}

// Read returns plaintext from the next frames. A deadline that expires
// mid-frame is not fatal: the next Read resumes the frame. A clean end of
// stream between frames is io.EOF; inside a frame, io.ErrUnexpectedEOF.
func (c *Conn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	for len(c.in.plain) == 0 {
		if err := c.readFrame(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.in.plain)
	c.in.plain = c.in.plain[n:]
	return n, nil
}

// readFrame receives and opens one frame into c.in.plain.
func (c *Conn) readFrame() error {
	in := &c.in
	if in.err != nil {
		return in.err
	}
	if err := c.fill(headerSize); err != nil {
		return c.readFailed(err)
	}
	size := int(binary.BigEndian.Uint32(in.buf))
	if size < overhead || size > MaxFrame+overhead {
		return c.fatal(fmt.Errorf("%w: ciphertext length %d", ErrFrame, size))
	}
	if err := c.fill(headerSize + size); err != nil {
		return c.readFailed(err)
	}
	nonce, err := in.nonceNow()
	if err != nil {
		return c.fatal(err)
	}
	plain, err := in.aead.Open(in.buf[headerSize:headerSize], nonce, in.buf[headerSize:headerSize+size], in.buf[:headerSize])
	if err != nil {
		return c.fatal(ErrAuth)
	}
	in.seq++
	in.n, in.plain = 0, plain
	return nil
}

// fill reads until the first want bytes of the frame buffer are present.
func (c *Conn) fill(want int) error {
	in := &c.in
	for in.n < want {
		k, err := c.r.Read(in.buf[in.n:want])
		in.n += k
		if err != nil && in.n < want {
			return err
		}
	}
	return nil
}

// readFailed classifies an error of the underlying Read: timeouts are
// transient, everything else is sticky.
func (c *Conn) readFailed(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return err
	}
	if err == io.EOF && c.in.n > 0 {
		err = io.ErrUnexpectedEOF
	}
	c.in.err = err
	return err
}

// fatal records a protocol failure and closes the underlying connection.
func (c *Conn) fatal(err error) error {
	c.in.err = fmt.Errorf("secconn: read frame %d: %w", c.in.seq, err)
	c.c.Close()
	return c.in.err
}

// Close closes the underlying connection; blocked Reads and Writes return.
func (c *Conn) Close() error { return c.c.Close() }

// LocalAddr returns the underlying connection's local address.
func (c *Conn) LocalAddr() net.Addr { return c.c.LocalAddr() }

// RemoteAddr returns the underlying connection's remote address.
func (c *Conn) RemoteAddr() net.Addr { return c.c.RemoteAddr() }

// SetDeadline sets both deadlines of the underlying connection.
func (c *Conn) SetDeadline(t time.Time) error { return c.c.SetDeadline(t) }

// SetReadDeadline sets the underlying connection's read deadline.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.c.SetReadDeadline(t) }

// SetWriteDeadline sets the underlying connection's write deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.c.SetWriteDeadline(t) }
