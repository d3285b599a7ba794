package checksum

import (
	"crypto/md5"
	"encoding/base64"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Header names read by ParseRequest.
const (
	HeaderContentMD5   = "Content-Md5"
	HeaderAlgorithm    = "X-Amz-Checksum-Algorithm"
	HeaderSDKAlgorithm = "X-Amz-Sdk-Checksum-Algorithm"
)

// Expect is what a request asks to be checked and computed.
type Expect struct {
	// MD5 is the Content-MD5 digest, nil when the header is absent.
	MD5 []byte
	// Algorithm is the additional checksum to compute, None for none.
	Algorithm Algorithm
	// Value is the expected digest when a header carries it; nil when it
	// comes as a trailer or when the client only asked for it to be
	// computed.
	Value []byte
	// Trailer is set when the expected value comes as a trailer named
	// Algorithm.Header().
	Trailer bool
	// NoETag spares the MD5 when no Content-MD5 is to be checked: for a
	// caller whose store computes the ETag itself. Sums.MD5 is then nil.
	NoETag bool
}

// ParseRequest reads the checksum headers of a request through get (a
// header lookup by name, "" when absent) and the trailer names declared by
// x-amz-trailer (lower case). Errors: InvalidDigest for a malformed
// Content-MD5, InvalidRequest for malformed or conflicting checksums.
func ParseRequest(get func(name string) string, trailers []string) (Expect, error) {
	var e Expect
	if v := get(HeaderContentMD5); v != "" {
		sum, err := base64.StdEncoding.Strict().DecodeString(v)
		if err != nil || len(sum) != md5.Size {
			return Expect{}, s3err.New(s3err.InvalidDigest, "")
		}
		e.MD5 = sum
	}
	if err := e.fromHeaders(get); err != nil {
		return Expect{}, err
	}
	if err := e.fromTrailers(trailers); err != nil {
		return Expect{}, err
	}
	return e, e.fromAlgorithmHeaders(get)
}

// fromHeaders reads the x-amz-checksum-* value headers: at most one.
func (e *Expect) fromHeaders(get func(string) string) error {
	for _, a := range Algorithms() {
		v := get(a.Header())
		if v == "" {
			continue
		}
		if e.Algorithm != None {
			return s3err.New(s3err.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		val, err := ParseValue(a, v)
		if err != nil {
			return err
		}
		e.Algorithm, e.Value = a, val.Sum
	}
	return nil
}

// fromTrailers reads the checksum named among the declared trailers.
func (e *Expect) fromTrailers(trailers []string) error {
	for _, t := range trailers {
		a := algorithmOfHeader(t)
		if a == None {
			if strings.HasPrefix(t, headerPrefix) {
				return s3err.New(s3err.InvalidRequest, "The value specified in the x-amz-trailer header is not supported: %s", t)
			}
			continue
		}
		if e.Algorithm != None {
			return s3err.New(s3err.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		e.Algorithm, e.Trailer = a, true
	}
	return nil
}

// fromAlgorithmHeaders reads x-amz-sdk-checksum-algorithm and
// x-amz-checksum-algorithm, which name the algorithm without a value and
// must agree with any value given.
func (e *Expect) fromAlgorithmHeaders(get func(string) string) error {
	for _, h := range []string{HeaderSDKAlgorithm, HeaderAlgorithm} {
		v := get(h)
		if v == "" {
			continue
		}
		a, err := ParseAlgorithm(v)
		if err != nil {
			return err
		}
		if e.Algorithm != None && e.Algorithm != a {
			return s3err.New(s3err.InvalidRequest, "Value for %s header is invalid: %s does not match the checksum sent (%s).", strings.ToLower(h), a, e.Algorithm)
		}
		e.Algorithm = a
	}
	return nil
}
