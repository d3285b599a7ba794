package sigv4

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// checkCodes fails unless err is nil or an *s3err.Error with one of codes.
func checkCodes(t *testing.T, err error, codes ...s3err.Code) {
	t.Helper()
	if err == nil {
		return
	}
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *s3err.Error", err)
	}
	for _, c := range codes {
		if e.Code == c {
			return
		}
	}
	t.Fatalf("error %v has code %s, want one of %v", err, e.Code, codes)
}

// formatAuthorization writes a back into an Authorization header.
func formatAuthorization(a Auth) string {
	return Algorithm + " Credential=" + a.AccessKeyID + "/" + a.Scope.String() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, v string) {
		a, err := ParseAuthorization(v)
		checkCodes(t, err, s3err.AuthorizationHeaderMalformed, s3err.InvalidRequest)
		if err != nil {
			return
		}
		again, err := ParseAuthorization(formatAuthorization(a))
		if err != nil || formatAuthorization(again) != formatAuthorization(a) {
			t.Fatalf("round trip of %q: %+v, %v", v, again, err)
		}
	})
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=" + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, q string) {
		a, err := ParsePresigned(q)
		checkCodes(t, err, s3err.AuthorizationQueryParamsError, s3err.InvalidRequest)
		if err == nil && (!a.Presigned || a.Expires < 0 || a.Expires > MaxPresignExpiry || a.Time.IsZero()) {
			t.Fatalf("accepted %q as %+v", q, a)
		}
		if err == nil {
			if _, err := CanonicalQuery(q, QuerySignature); err != nil {
				t.Fatalf("parsed %q but cannot canonicalise it: %v", q, err)
			}
		}
	})
}

// chunkedCodes are the codes a chunk decoder may fail with.
func chunkedCodes() []s3err.Code {
	return []s3err.Code{s3err.IncompleteBody, s3err.InvalidRequest, s3err.SignatureDoesNotMatch, s3err.MalformedTrailerError}
}

// splitChunks cuts data into chunks of size n (at least 1).
func splitChunks(data []byte, n int) []string {
	var out []string
	for len(data) > 0 {
		k := min(n, len(data))
		out = append(out, string(data[:k]))
		data = data[k:]
	}
	return out
}

func FuzzChunkedSigned(f *testing.F) {
	f.Add([]byte("hello world"), uint16(4), uint32(1<<31), false)
	f.Add([]byte("hello world"), uint16(3), uint32(40), true)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16, flip uint32, trailer bool) {
		s := testSigning()
		body, last := signChunks(s, splitChunks(data, int(chunk)%1000+1)...)
		mode, declared := PayloadStreaming, []string(nil)
		if trailer {
			body += signTrailers(s, last, "x-amz-checksum-crc32:AAAAAA==")
			mode, declared = PayloadStreamingTrailer, []string{"x-amz-checksum-crc32"}
		} else {
			body += "\r\n"
		}
		b := []byte(body)
		if i := int(flip % uint32(len(b)+1)); i < len(b) {
			b[i] ^= byte(1 << (flip >> 29))
		}
		_, got, err := decode(mode, declared, string(b), -1)
		checkCodes(t, err, chunkedCodes()...)
		if err == nil && got != string(data) {
			t.Fatalf("tampered body decoded to %q, not %q", got, data)
		}
		if bytes.Equal(b, []byte(body)) && err != nil {
			t.Fatalf("valid body refused: %v", err)
		}
	})
}

func FuzzChunkedRaw(f *testing.F) {
	f.Add([]byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), uint8(0))
	f.Add([]byte("5;chunk-signature="+strings.Repeat("ab", 32)+"\r\nhello\r\n"), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, m uint8) {
		modes := []Payload{PayloadStreamingUnsignedTrailer, PayloadStreaming, PayloadStreamingTrailer}
		mode := modes[int(m)%len(modes)]
		res := Result{Payload: mode, Signing: testSigning()}
		if mode.Trailing() {
			res.Trailers = []string{"x-amz-checksum-crc32"}
		}
		cr := NewChunkedReader(bytes.NewReader(body), res, ChunkOptions{DecodedLength: -1, MaxChunkSize: 1 << 12})
		got, err := io.ReadAll(cr)
		checkCodes(t, err, chunkedCodes()...)
		if len(got) > len(body) {
			t.Fatalf("decoded %d bytes out of %d", len(got), len(body))
		}
		if err == nil && mode.Trailing() {
			if _, ok := cr.TrailerValue("x-amz-checksum-crc32"); !ok {
				t.Fatal("accepted a body without its declared trailer")
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add("GET", "/b/k", "a=1&b", "x-amz-date:20130524T000000Z")
	f.Fuzz(func(t *testing.T, method, path, query, header string) {
		name, value, _ := strings.Cut(header, ":")
		r := Request{Method: method, RawPath: path, RawQuery: query, Host: "h",
			Header: map[string][]string{canonicalKey(name): {value}, "Authorization": {"AWS4-HMAC-SHA256 Credential=" + exampleAK + "/" + exampleScope + ", SignedHeaders=host, Signature=" + sig64}}}
		_, err := exampleVerifier().Verify(r, exampleTime().Add(time.Minute))
		if err == nil {
			t.Fatalf("accepted a forged signature for %+v", r)
		}
		checkCodes(t, err, s3err.SignatureDoesNotMatch, s3err.AccessDenied, s3err.InvalidArgument, s3err.InvalidRequest,
			s3err.InvalidURI, s3err.AuthorizationHeaderMalformed, s3err.RequestTimeTooSkewed, s3err.NotImplemented)
	})
}
