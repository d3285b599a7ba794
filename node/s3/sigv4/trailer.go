package sigv4

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// readTrailers reads the trailer section up to EOF: "name:value" lines
// (CRLF or LF, blank lines ignored), the signed mode's
// x-amz-trailer-signature last. It checks the trailer signature and that
// the trailers are exactly the declared ones.
func (c *ChunkedReader) readTrailers() error {
	sig, size := "", 0
	for {
		line, err := c.trailerLine(&size)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if line == "" {
			continue
		}
		if sig != "" {
			return badTrailer("trailer %q after the trailer signature", line)
		}
		if sig, err = c.addTrailer(line); err != nil {
			return err
		}
	}
	if err := c.checkTrailerSignature(sig); err != nil {
		return err
	}
	return c.checkDeclared()
}

// trailerLine returns the next trailer line without its line ending, or
// io.EOF at the end of the body. size counts the section's bytes.
func (c *ChunkedReader) trailerLine(size *int) (string, error) {
	b, err := c.br.ReadSlice('\n')
	*size += len(b)
	switch {
	case errors.Is(err, bufio.ErrBufferFull) || *size > maxTrailerSize:
		return "", badTrailer("trailer section longer than %d bytes", min(maxTrailerSize, c.br.Size()))
	case err == io.EOF && len(b) == 0:
		return "", io.EOF
	case err != nil && err != io.EOF:
		return "", truncated(err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// addTrailer records one "name:value" line and returns the signature when
// the line is the trailer signature.
func (c *ChunkedReader) addTrailer(line string) (string, error) {
	name, value, ok := strings.Cut(line, ":")
	name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
	switch {
	case !ok || !validToken(name):
		return "", badTrailer("trailer line %q is not name:value", line)
	case name == trailerSigName && !c.mode.Signed():
		return "", badTrailer("trailer signature in an unsigned payload")
	case name == trailerSigName && parseSignature(value) != nil:
		return "", badTrailer("malformed trailer signature %q", value)
	case name == trailerSigName:
		return strings.ToLower(value), nil
	case slices.ContainsFunc(c.trailer, func(t Trailer) bool { return t.Name == name }):
		return "", badTrailer("trailer %s given twice", name)
	}
	c.trailer = append(c.trailer, Trailer{name, value})
	return "", nil
}

// checkTrailerSignature checks the signed mode's trailer signature over
// the received trailers, chained from the final chunk's signature.
func (c *ChunkedReader) checkTrailerSignature(sig string) error {
	if !c.mode.Signed() {
		return nil
	}
	if sig == "" {
		return badTrailer("missing %s", trailerSigName)
	}
	var b strings.Builder
	for _, t := range c.trailer {
		b.WriteString(t.Name + ":" + t.Value + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	sts := trailerAlgorithm + "\n" + c.signing.Time.UTC().Format(TimeFormat) + "\n" +
		c.signing.Scope.String() + "\n" + c.prev + "\n" + hex.EncodeToString(sum[:])
	if !signaturesEqual(sig, Sign(c.signing.Key, sts)) {
		return s3err.New(s3err.SignatureDoesNotMatch, "The trailer signature does not match")
	}
	return nil
}

// checkDeclared checks that the trailers received are those x-amz-trailer
// announced.
func (c *ChunkedReader) checkDeclared() error {
	for _, d := range c.declared {
		if _, ok := c.TrailerValue(d); !ok {
			return badTrailer("declared trailer %s is missing", d)
		}
	}
	for _, t := range c.trailer {
		if !slices.Contains(c.declared, t.Name) {
			return badTrailer("trailer %s was not declared in x-amz-trailer", t.Name)
		}
	}
	return nil
}

// TrailerValue returns the value of the trailer called name (lower case).
func (c *ChunkedReader) TrailerValue(name string) (string, bool) {
	for _, t := range c.trailer {
		if t.Name == name {
			return t.Value, true
		}
	}
	return "", false
}

// badTrailer returns the error of a malformed trailer section.
func badTrailer(format string, args ...any) error {
	return s3err.New(s3err.MalformedTrailerError, "Malformed trailer: "+format, args...)
}
