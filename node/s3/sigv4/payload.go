package sigv4

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Payload is how a request's body is authenticated, as its
// x-amz-content-sha256 header declares.
type Payload int

// The payload modes of S3.
const (
	// PayloadSHA256: the header holds the hex SHA-256 of the body, checked
	// at EOF.
	PayloadSHA256 Payload = iota + 1
	// PayloadUnsigned: UNSIGNED-PAYLOAD, the body is not authenticated.
	PayloadUnsigned
	// PayloadStreaming: STREAMING-AWS4-HMAC-SHA256-PAYLOAD, an aws-chunked
	// body with a signature per chunk.
	PayloadStreaming
	// PayloadStreamingUnsignedTrailer: STREAMING-UNSIGNED-PAYLOAD-TRAILER,
	// an aws-chunked body without signatures, ending with trailers.
	PayloadStreamingUnsignedTrailer
	// PayloadStreamingTrailer: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER,
	// signed chunks then signed trailers.
	PayloadStreamingTrailer
)

// The literal x-amz-content-sha256 values of the non-hash modes.
const (
	UnsignedPayload                 = "UNSIGNED-PAYLOAD"
	StreamingPayload                = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	StreamingPayloadTrailer         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingECDSA                  = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
)

// Header names of the payload.
const (
	HeaderContentSHA256        = "X-Amz-Content-Sha256"
	HeaderTrailer              = "X-Amz-Trailer"
	HeaderDecodedContentLength = "X-Amz-Decoded-Content-Length"
	emptySHA256                = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// String returns the mode's x-amz-content-sha256 literal, or "sha256".
func (p Payload) String() string {
	switch p {
	case PayloadSHA256:
		return "sha256"
	case PayloadUnsigned:
		return UnsignedPayload
	case PayloadStreaming:
		return StreamingPayload
	case PayloadStreamingUnsignedTrailer:
		return StreamingUnsignedPayloadTrailer
	case PayloadStreamingTrailer:
		return StreamingPayloadTrailer
	}
	return fmt.Sprintf("Payload(%d)", int(p))
}

// Chunked reports whether the body is aws-chunked.
func (p Payload) Chunked() bool {
	return p == PayloadStreaming || p == PayloadStreamingTrailer || p == PayloadStreamingUnsignedTrailer
}

// Signed reports whether the body's chunks carry signatures.
func (p Payload) Signed() bool {
	return p == PayloadStreaming || p == PayloadStreamingTrailer
}

// Trailing reports whether the body ends with trailers.
func (p Payload) Trailing() bool {
	return p == PayloadStreamingTrailer || p == PayloadStreamingUnsignedTrailer
}

// ParsePayload parses an x-amz-content-sha256 value into its mode and, for
// PayloadSHA256, the 32-byte digest. Errors are InvalidArgument, or
// NotImplemented for the ECDSA (SigV4a) streaming mode.
func ParsePayload(v string) (Payload, []byte, error) {
	switch v {
	case UnsignedPayload:
		return PayloadUnsigned, nil, nil
	case StreamingPayload:
		return PayloadStreaming, nil, nil
	case StreamingUnsignedPayloadTrailer:
		return PayloadStreamingUnsignedTrailer, nil, nil
	case StreamingPayloadTrailer:
		return PayloadStreamingTrailer, nil, nil
	}
	if strings.HasPrefix(v, streamingECDSA) {
		return 0, nil, s3err.New(s3err.NotImplemented, "%s is not supported", v)
	}
	sum, err := hex.DecodeString(v)
	if err != nil || len(sum) != 32 {
		return 0, nil, s3err.New(s3err.InvalidArgument,
			"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* mode, or a valid sha256 value, not %q", v)
	}
	return PayloadSHA256, sum, nil
}

// ParseTrailerNames parses an x-amz-trailer value: comma-separated header
// names, returned in lower case. Errors are InvalidRequest.
func ParseTrailerNames(v string) ([]string, error) {
	var names []string
	for n := range strings.SplitSeq(v, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if !validToken(n) {
			return nil, s3err.New(s3err.InvalidRequest, "x-amz-trailer %q names an invalid header", v)
		}
		names = append(names, n)
	}
	return names, nil
}
