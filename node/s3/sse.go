package s3

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
)

// SSE-C data is encrypted with AES-256-GCM in chunks of sseChunk bytes of
// plaintext, each followed by its tag. The key of an object (or of each
// part) is HMAC-SHA256(customer key, salt) with a fresh random salt, so
// that a customer key never encrypts two objects with the same key and
// the chunk index can be the nonce.
const (
	sseChunk = 64 << 10
	sseTag   = 16
	saltSize = 16
)

// storedSize returns the size of the ciphertext of n bytes of plaintext.
func storedSize(n int64) int64 {
	chunks := (n + sseChunk - 1) / sseChunk
	return n + chunks*sseTag
}

// dataKey derives the AEAD of an object or part from the customer key and
// its salt.
func dataKey(customer [32]byte, salt []byte) cipher.AEAD {
	m := hmac.New(sha256.New, customer[:])
	m.Write([]byte("garage-ssec-v1"))
	m.Write(salt)
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(fmt.Sprintf("s3: aes key of %d bytes: %v", sha256.Size, err))
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(fmt.Sprintf("s3: gcm: %v", err))
	}
	return aead
}

// nonce returns the nonce of chunk i.
func nonce(i int64) []byte {
	var n [12]byte
	binary.BigEndian.PutUint64(n[4:], uint64(i))
	return n[:]
}

// encrypter encrypts a plaintext stream chunk by chunk.
type encrypter struct {
	r    io.Reader
	aead cipher.AEAD
	i    int64
	in   []byte
	out  []byte // ciphertext not yet handed out
	err  error
}

// newEncrypter returns the ciphertext of r under the data key of
// (customer, salt).
func newEncrypter(r io.Reader, customer [32]byte, salt []byte) io.Reader {
	return &encrypter{r: r, aead: dataKey(customer, salt), in: make([]byte, sseChunk)}
}

func (e *encrypter) Read(p []byte) (int, error) {
	for len(e.out) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		e.fill()
	}
	n := copy(p, e.out)
	e.out = e.out[n:]
	return n, nil
}

// fill reads the next chunk of plaintext and seals it.
func (e *encrypter) fill() {
	n, err := io.ReadFull(e.r, e.in)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	if n > 0 {
		e.out = e.aead.Seal(e.out[:0], nonce(e.i), e.in[:n], nil)
		e.i++
	}
	e.err = err
}

// decrypter decrypts whole chunks read from a stored stream that starts
// at chunk first, and hands out the plaintext from skip on.
type decrypter struct {
	r    io.Reader
	aead cipher.AEAD
	i    int64
	skip int
	left int64 // plaintext bytes still to hand out
	buf  []byte
	out  []byte
	err  error
}

// newDecrypter returns length bytes of plaintext from offset start of an
// object (or part) whose ciphertext is read by open(storedStart,
// storedLength).
func newDecrypter(open func(start, length int64) (io.ReadCloser, error), customer [32]byte, salt []byte,
	size, start, length int64) (io.ReadCloser, error) {
	first, last := start/sseChunk, (start+length-1)/sseChunk
	stStart := first * (sseChunk + sseTag)
	stEnd := min((last+1)*(sseChunk+sseTag), storedSize(size))
	rc, err := open(stStart, stEnd-stStart)
	if err != nil {
		return nil, err
	}
	d := &decrypter{r: rc, aead: dataKey(customer, salt), i: first, skip: int(start - first*sseChunk),
		left: length, buf: make([]byte, sseChunk+sseTag)}
	return readCloser{d, rc}, nil
}

func (d *decrypter) Read(p []byte) (int, error) {
	if d.left == 0 {
		return 0, io.EOF
	}
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		d.fill()
	}
	n := copy(p, d.out[:min(int64(len(d.out)), d.left)])
	d.out, d.left = d.out[n:], d.left-int64(n)
	return n, nil
}

// fill reads and opens the next chunk.
func (d *decrypter) fill() {
	n, err := io.ReadFull(d.r, d.buf)
	if err == io.ErrUnexpectedEOF || (err == io.EOF && n == 0) {
		err = io.EOF
	}
	if n == 0 {
		d.err = io.ErrUnexpectedEOF
		return
	}
	plain, oerr := d.aead.Open(d.buf[:0], nonce(d.i), d.buf[:n], nil)
	if oerr != nil {
		d.err = fmt.Errorf("decrypt chunk %d: %w", d.i, oerr)
		return
	}
	d.i++
	d.out = plain[d.skip:]
	d.skip = 0
	if err != nil && err != io.EOF {
		d.err = err
	}
}

// readCloser is a reader with another's Close.
type readCloser struct {
	io.Reader
	io.Closer
}
