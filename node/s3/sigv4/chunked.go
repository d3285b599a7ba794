package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// DefaultMaxChunkSize bounds the data of one aws-chunked chunk, and so
// what the decoder buffers.
const DefaultMaxChunkSize = 16 << 20

// maxTrailerSize bounds the trailer section of an aws-chunked body.
const maxTrailerSize = 16 << 10

// Strings to sign of chunks and trailers.
const (
	chunkAlgorithm   = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"
	trailerSigName   = "x-amz-trailer-signature"
	chunkSigPrefix   = ";chunk-signature="
)

// Trailer is one header sent after an aws-chunked body.
type Trailer struct {
	Name  string // lower case
	Value string
}

// ChunkOptions tunes a ChunkedReader.
type ChunkOptions struct {
	// DecodedLength is the x-amz-decoded-content-length the client
	// declared, checked at EOF; negative when not declared.
	DecodedLength int64
	// MaxChunkSize bounds one chunk; DefaultMaxChunkSize when zero.
	MaxChunkSize int
}

// ChunkedReader decodes an aws-chunked body and yields its data. In the
// signed modes each chunk is read whole, its signature checked against the
// chain started by the seed signature, and only then handed out; unsigned
// chunks stream through. The final zero-length chunk, the trailers and the
// decoded length are checked before io.EOF is returned. Errors are sticky
// *s3err.Error values: IncompleteBody (truncated, wrong length),
// SignatureDoesNotMatch (a chunk or the trailers), InvalidRequest
// (malformed framing), MalformedTrailerError (trailers).
type ChunkedReader struct {
	br       *bufio.Reader
	mode     Payload
	signing  Signing
	prev     string
	declared []string
	opt      ChunkOptions
	decoded  int64
	buf      []byte // signed: the verified chunk being handed out
	off      int
	left     int64 // unsigned: bytes left in the current chunk
	needCRLF bool  // unsigned: the current chunk's CRLF is still to read
	trailer  []Trailer
	done     bool
	err      error
}

// NewChunkedReader returns a decoder of body for the verified request
// res, whose payload must be one of the streaming modes.
func NewChunkedReader(body io.Reader, res Result, opt ChunkOptions) *ChunkedReader {
	if !res.Payload.Chunked() {
		panic(fmt.Sprintf("sigv4: NewChunkedReader with payload %v", res.Payload))
	}
	if opt.MaxChunkSize <= 0 {
		opt.MaxChunkSize = DefaultMaxChunkSize
	}
	return &ChunkedReader{
		br: bufio.NewReader(body), mode: res.Payload, signing: res.Signing,
		prev: res.Signing.Seed, declared: res.Trailers, opt: opt,
	}
}

// Read reads decoded data.
func (c *ChunkedReader) Read(p []byte) (int, error) {
	for c.err == nil {
		switch {
		case len(p) == 0:
			return 0, nil
		case c.off < len(c.buf):
			n := copy(p, c.buf[c.off:])
			c.off += n
			return n, nil
		case c.left > 0:
			return c.readUnsigned(p)
		case c.done:
			return 0, io.EOF
		}
		c.err = c.next()
	}
	return 0, c.err
}

// Trailer returns the trailers received, in order; complete once Read has
// returned io.EOF.
func (c *ChunkedReader) Trailer() []Trailer { return c.trailer }

// readUnsigned hands out data of the current unsigned chunk.
func (c *ChunkedReader) readUnsigned(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	if err == io.EOF || err == nil && n == 0 {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && c.left > 0 {
		c.err = truncated(err)
		return n, c.err
	}
	return n, nil
}

// next reads the next chunk header and what follows it.
func (c *ChunkedReader) next() error {
	if c.needCRLF {
		if err := c.expectCRLF(); err != nil {
			return err
		}
		c.needCRLF = false
	}
	size, sig, err := c.chunkHeader()
	if err != nil {
		return err
	}
	if err := c.count(size); err != nil {
		return err
	}
	if size == 0 {
		return c.finish(sig)
	}
	if c.mode.Signed() {
		return c.readSigned(size, sig)
	}
	c.left, c.needCRLF = size, true
	return nil
}

// count adds size to the decoded length and checks it against the
// declared one.
func (c *ChunkedReader) count(size int64) error {
	c.decoded += size
	if c.opt.DecodedLength >= 0 && c.decoded > c.opt.DecodedLength {
		return s3err.New(s3err.IncompleteBody, "The aws-chunked body holds more than the %d bytes of x-amz-decoded-content-length", c.opt.DecodedLength)
	}
	return nil
}

// chunkHeader reads "hex-size[;chunk-signature=sig]\r\n".
func (c *ChunkedReader) chunkHeader() (int64, string, error) {
	line, err := c.line()
	if err != nil {
		return 0, "", err
	}
	hexSize, sig, hasSig := strings.Cut(line, ";")
	switch {
	case hasSig != c.mode.Signed():
		return 0, "", framing("chunk header %q: chunk signature expected in signed modes only", line)
	case hasSig && !strings.HasPrefix(";"+sig, chunkSigPrefix):
		return 0, "", framing("chunk header %q: unknown extension", line)
	}
	sig = strings.TrimPrefix(";"+sig, chunkSigPrefix)
	if hasSig && parseSignature(sig) != nil {
		return 0, "", framing("chunk header %q: malformed signature", line)
	}
	size, err := strconv.ParseInt(hexSize, 16, 64)
	if err != nil || size < 0 || len(hexSize) > 16 {
		return 0, "", framing("chunk header %q: malformed size", line)
	}
	if size > int64(c.opt.MaxChunkSize) {
		return 0, "", framing("chunk of %d bytes exceeds the limit of %d", size, c.opt.MaxChunkSize)
	}
	return size, strings.ToLower(sig), nil
}

// line reads one line ending with CRLF and returns it without the CRLF.
func (c *ChunkedReader) line() (string, error) {
	b, err := c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", framing("chunk header longer than %d bytes", c.br.Size())
	case err != nil:
		return "", truncated(err)
	case !bytes.HasSuffix(b, []byte("\r\n")):
		return "", framing("chunk header %q does not end with CRLF", b)
	}
	return string(b[:len(b)-2]), nil
}

// expectCRLF reads the CRLF that ends a chunk's data.
func (c *ChunkedReader) expectCRLF() error {
	var b [2]byte
	if _, err := io.ReadFull(c.br, b[:]); err != nil {
		return truncated(err)
	}
	if b != [2]byte{'\r', '\n'} {
		return framing("chunk data is not followed by CRLF")
	}
	return nil
}

// readSigned reads a signed chunk of size bytes, checks its signature and
// makes it the chunk handed out.
func (c *ChunkedReader) readSigned(size int64, sig string) error {
	if int64(cap(c.buf)) < size {
		c.buf = make([]byte, size)
	}
	c.buf, c.off = c.buf[:size], 0
	if _, err := io.ReadFull(c.br, c.buf); err != nil {
		c.buf = c.buf[:0]
		return truncated(err)
	}
	if err := c.checkChunk(c.buf, sig); err != nil {
		c.buf = c.buf[:0]
		return err
	}
	return c.expectCRLF()
}

// checkChunk checks the signature of one chunk's data and advances the
// chain.
func (c *ChunkedReader) checkChunk(data []byte, sig string) error {
	sum := sha256.Sum256(data)
	sts := chunkAlgorithm + "\n" + c.signing.Time.UTC().Format(TimeFormat) + "\n" +
		c.signing.Scope.String() + "\n" + c.prev + "\n" + emptySHA256 + "\n" + hex.EncodeToString(sum[:])
	if !signaturesEqual(sig, Sign(c.signing.Key, sts)) {
		return s3err.New(s3err.SignatureDoesNotMatch, "The chunk signature at decoded offset %d does not match", c.decoded-int64(len(data)))
	}
	c.prev = sig
	return nil
}

// finish handles the final zero-length chunk and what follows it.
func (c *ChunkedReader) finish(sig string) error {
	if c.mode.Signed() {
		if err := c.checkChunk(nil, sig); err != nil {
			return err
		}
	}
	var err error
	if c.mode.Trailing() {
		err = c.readTrailers()
	} else {
		err = c.readEnd()
	}
	if err != nil {
		return err
	}
	if c.opt.DecodedLength >= 0 && c.decoded != c.opt.DecodedLength {
		return s3err.New(s3err.IncompleteBody, "The aws-chunked body holds %d bytes, not the %d of x-amz-decoded-content-length", c.decoded, c.opt.DecodedLength)
	}
	c.done = true
	return nil
}

// readEnd reads the CRLF that ends a body without trailers (tolerating
// its absence) and checks that nothing follows.
func (c *ChunkedReader) readEnd() error {
	rest, err := io.ReadAll(io.LimitReader(c.br, 3))
	if err != nil {
		return truncated(err)
	}
	if len(rest) > 0 && string(rest) != "\r\n" {
		return framing("data after the final chunk")
	}
	return nil
}

// truncated returns the error of a body that ends too early.
func truncated(err error) error {
	return s3err.Wrap(s3err.IncompleteBody, fmt.Errorf("aws-chunked body: %w", err))
}

// framing returns the error of a malformed aws-chunked body.
func framing(format string, args ...any) error {
	return s3err.New(s3err.InvalidRequest, "Malformed aws-chunked body: "+format, args...)
}
