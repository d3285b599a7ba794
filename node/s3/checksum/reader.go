package checksum

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"io"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Sums are the digests of a body read to its end.
type Sums struct {
	Size int64
	MD5  []byte
	// Checksum is the additional checksum computed, zero when none was
	// asked for.
	Checksum Value
}

// ETag returns the ETag of a single-part object with these sums: the hex
// MD5 of its data, quoted.
func (s Sums) ETag() string { return `"` + hex.EncodeToString(s.MD5) + `"` }

// TrailerFunc returns the value of a trailer once the body has reached
// EOF: sigv4.Body's TrailerValue.
type TrailerFunc func(name string) (string, bool)

// Reader passes a body through, computing its MD5 and the expected
// additional checksum, and checks them at EOF: a mismatch turns io.EOF
// into a sticky BadDigest error; a missing or malformed trailer value into
// InvalidRequest.
type Reader struct {
	r       io.Reader
	exp     Expect
	trailer TrailerFunc
	md5     hash.Hash
	h       hash.Hash
	sums    Sums
	done    bool
	err     error
}

// NewReader returns a reader of r that checks exp. trailer may be nil
// when exp.Trailer is false.
func NewReader(r io.Reader, exp Expect, trailer TrailerFunc) *Reader {
	c := &Reader{r: r, exp: exp, trailer: trailer}
	if exp.MD5 != nil || !exp.NoETag {
		c.md5 = md5.New()
	}
	if exp.Algorithm != None {
		c.h = exp.Algorithm.New()
	}
	return c
}

// Read reads from the body, hashing what passes.
func (c *Reader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	if c.md5 != nil {
		c.md5.Write(p[:n])
	}
	if c.h != nil {
		c.h.Write(p[:n])
	}
	c.sums.Size += int64(n)
	if err == io.EOF {
		err = c.finish()
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// Sums returns the digests computed; complete once Read has returned
// io.EOF.
func (c *Reader) Sums() Sums { return c.sums }

// finish computes the final sums and checks them, returning io.EOF when
// they hold.
func (c *Reader) finish() error {
	if c.md5 != nil {
		c.sums.MD5 = c.md5.Sum(nil)
	}
	if c.exp.MD5 != nil && subtle.ConstantTimeCompare(c.sums.MD5, c.exp.MD5) != 1 {
		return s3err.New(s3err.BadDigest, "The Content-MD5 you specified did not match what we received.")
	}
	if c.h == nil {
		return io.EOF
	}
	c.sums.Checksum = Value{Algorithm: c.exp.Algorithm, Sum: c.h.Sum(nil)}
	want, err := c.expected()
	if err != nil {
		return err
	}
	if want != nil && subtle.ConstantTimeCompare(c.sums.Checksum.Sum, want) != 1 {
		return s3err.New(s3err.BadDigest, "The %s you specified did not match the calculated checksum.", c.exp.Algorithm)
	}
	return io.EOF
}

// expected returns the expected digest, from the header or the trailer,
// or nil when there is none to check.
func (c *Reader) expected() ([]byte, error) {
	if !c.exp.Trailer {
		return c.exp.Value, nil
	}
	name := c.exp.Algorithm.Header()
	v, ok := c.trailer(name)
	if !ok {
		return nil, s3err.New(s3err.InvalidRequest, "The trailer %s declared in x-amz-trailer is missing.", name)
	}
	val, err := ParseValue(c.exp.Algorithm, v)
	if err != nil {
		return nil, err
	}
	return val.Sum, nil
}
