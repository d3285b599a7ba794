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

// SSE-C data is stored as a random salt followed by the plaintext
// encrypted with AES-256-GCM in chunks of sseChunk bytes, each followed by
// its tag. The data key of an object (or of each part) is
// HMAC-SHA256(customer key, salt), so that a customer key never encrypts
// two objects (or two uploads of a part) with the same key, and the chunk
// index can be the nonce. The stored bytes describe themselves: no
// metadata but the key's MD5 is kept.
const (
	sseChunk = 64 << 10
	sseTag   = 16
	saltSize = 16
)

// storedSize returns the size of the stored form of n bytes of plaintext.
func storedSize(n int64) int64 {
	chunks := (n + sseChunk - 1) / sseChunk
	return saltSize + n + chunks*sseTag
}

// plainSize inverts storedSize.
func plainSize(stored int64) int64 {
	m := stored - saltSize
	if m <= 0 {
		return 0
	}
	chunks := (m + sseChunk + sseTag - 1) / (sseChunk + sseTag)
	return m - chunks*sseTag
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

// encrypter turns a plaintext stream into its stored form.
type encrypter struct {
	r    io.Reader
	aead cipher.AEAD
	i    int64
	in   []byte
	out  []byte // stored bytes not yet handed out
	err  error
}

// newEncrypter returns the stored form of r under the data key of
// (customer, salt): the salt, then the sealed chunks.
func newEncrypter(r io.Reader, customer [32]byte, salt []byte) io.Reader {
	return &encrypter{r: r, aead: dataKey(customer, salt), in: make([]byte, sseChunk),
		out: append([]byte(nil), salt...)}
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

// decrypter opens whole chunks read from a stored stream that starts at
// chunk i, and hands out the plaintext from skip on.
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

// decryptRange returns length bytes of plaintext from offset start of a
// segment (an object or a part) of stored bytes, read through open
// (offsets within the segment). It reads the salt and the chunks covering
// the range: one read when the range starts in the first chunk.
func decryptRange(open func(start, length int64) (io.ReadCloser, error), customer [32]byte, stored, start, length int64) (io.ReadCloser, error) {
	first, last := start/sseChunk, (start+length-1)/sseChunk
	stStart := saltSize + first*(sseChunk+sseTag)
	stEnd := min(saltSize+(last+1)*(sseChunk+sseTag), stored)
	var salt [saltSize]byte
	var rc io.ReadCloser
	var err error
	if first == 0 {
		if rc, err = open(0, stEnd); err == nil {
			_, err = io.ReadFull(rc, salt[:])
		}
	} else if err = readSalt(open, salt[:]); err == nil {
		rc, err = open(stStart, stEnd-stStart)
	}
	if err != nil {
		if rc != nil {
			rc.Close()
		}
		return nil, fmt.Errorf("read encrypted data: %w", err)
	}
	d := &decrypter{r: rc, aead: dataKey(customer, salt[:]), i: first, skip: int(start - first*sseChunk),
		left: length, buf: make([]byte, sseChunk+sseTag)}
	return readCloser{d, rc}, nil
}

// readSalt reads the salt at the start of a segment.
func readSalt(open func(start, length int64) (io.ReadCloser, error), salt []byte) error {
	rc, err := open(0, saltSize)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.ReadFull(rc, salt)
	return err
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
	d.out = plain[min(d.skip, len(plain)):]
	d.skip = 0
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		d.err = err
	}
}

// readCloser is a reader with another's Close.
type readCloser struct {
	io.Reader
	io.Closer
}
