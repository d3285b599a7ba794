package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"hash"
	"io"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Body is a request body decoded as its payload mode requires.
type Body interface {
	io.Reader
	// TrailerValue returns the value of a trailer (lower-case name) once
	// the body has been read to EOF; plain bodies have none.
	TrailerValue(name string) (string, bool)
}

var (
	_ Body = (*ChunkedReader)(nil)
	_ Body = (*SHA256Reader)(nil)
	_ Body = plainBody{}
)

// NewBody returns the reader of body for the verified request res: a
// ChunkedReader for the streaming modes, a SHA256Reader for
// PayloadSHA256, body itself (wrapped) for UNSIGNED-PAYLOAD.
func NewBody(body io.Reader, res Result, opt ChunkOptions) Body {
	switch {
	case res.Payload.Chunked():
		return NewChunkedReader(body, res, opt)
	case res.Payload == PayloadSHA256:
		return NewSHA256Reader(body, res.ContentSHA256)
	}
	return plainBody{body}
}

// plainBody is an unauthenticated body.
type plainBody struct{ io.Reader }

// TrailerValue reports that plain bodies have no trailers.
func (plainBody) TrailerValue(string) (string, bool) { return "", false }

// SHA256Reader passes a body through and, at EOF, checks that its SHA-256
// is the declared one; a mismatch turns the io.EOF into a sticky
// XAmzContentSHA256Mismatch error.
type SHA256Reader struct {
	r    io.Reader
	h    hash.Hash
	want []byte
	err  error
}

// NewSHA256Reader returns a reader of r checking its digest against want
// (32 bytes).
func NewSHA256Reader(r io.Reader, want []byte) *SHA256Reader {
	return &SHA256Reader{r: r, h: sha256.New(), want: want}
}

// Read reads from the body, hashing what passes.
func (s *SHA256Reader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	s.h.Write(p[:n])
	if err == io.EOF && subtle.ConstantTimeCompare(s.h.Sum(nil), s.want) != 1 {
		err = s3err.New(s3err.XAmzContentSHA256Mismatch, "")
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// TrailerValue reports that plain bodies have no trailers.
func (s *SHA256Reader) TrailerValue(string) (string, bool) { return "", false }
