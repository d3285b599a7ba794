package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gogarage/garage/node/s3/s3err"
)

// testSigning is a fixed signing state for hand-built bodies.
func testSigning() Signing {
	scope := Scope{"20240229", "garage", "s3"}
	return Signing{Key: SigningKey("secret", scope), Time: oracleTime(), Scope: scope, Seed: strings.Repeat("ab", 32)}
}

// signChunks encodes chunks as a signed aws-chunked body, the final chunk
// included, and returns it with the final chunk's signature.
func signChunks(s Signing, chunks ...string) (string, string) {
	var b strings.Builder
	prev := s.Seed
	for _, c := range append(chunks, "") {
		sum := sha256.Sum256([]byte(c))
		sts := chunkAlgorithm + "\n" + s.Time.Format(TimeFormat) + "\n" + s.Scope.String() + "\n" + prev + "\n" + emptySHA256 + "\n" + hex.EncodeToString(sum[:])
		prev = Sign(s.Key, sts)
		b.WriteString(hexSize(len(c)) + chunkSigPrefix + prev + "\r\n")
		if c != "" {
			b.WriteString(c + "\r\n")
		}
	}
	return b.String(), prev
}

// signTrailers returns the signed trailer section following a final chunk
// signed prev.
func signTrailers(s Signing, prev string, lines ...string) string {
	canon := ""
	for _, l := range lines {
		canon += l + "\n"
	}
	sum := sha256.Sum256([]byte(canon))
	sts := trailerAlgorithm + "\n" + s.Time.Format(TimeFormat) + "\n" + s.Scope.String() + "\n" + prev + "\n" + hex.EncodeToString(sum[:])
	return strings.Join(lines, "\r\n") + "\r\n" + trailerSigName + ":" + Sign(s.Key, sts) + "\r\n\r\n"
}

// decode reads body in mode with the given declared trailers.
func decode(mode Payload, declared []string, body string, n int64) (*ChunkedReader, string, error) {
	res := Result{Payload: mode, Trailers: declared, Signing: testSigning()}
	cr := NewChunkedReader(iotest.HalfReader(strings.NewReader(body)), res, ChunkOptions{DecodedLength: n, MaxChunkSize: 1 << 10})
	got, err := io.ReadAll(cr)
	return cr, string(got), err
}

func TestChunkedCases(t *testing.T) {
	s := testSigning()
	signed, last := signChunks(s, "hello ", "world")
	withTrailer := signed + signTrailers(s, last, "x-amz-checksum-crc32:AAAAAA==")
	crc := []string{"x-amz-checksum-crc32"}
	tests := []struct {
		name     string
		mode     Payload
		declared []string
		body     string
		n        int64
		want     s3err.Code
	}{
		{"signed", PayloadStreaming, nil, signed + "\r\n", 11, ""},
		{"signed, no final CRLF", PayloadStreaming, nil, signed, -1, ""},
		{"signed, extra CRLF", PayloadStreaming, nil, signed + "\r\n\r\n", -1, s3err.InvalidRequest},
		{"signed, chunks swapped", PayloadStreaming, nil, strings.Replace(signed, "hello ", "world", 1), -1, s3err.SignatureDoesNotMatch},
		{"signed, final chunk missing", PayloadStreaming, nil, signed[:strings.Index(signed, "0;")], -1, s3err.IncompleteBody},
		{"signed, no signature", PayloadStreaming, nil, "5\r\nhello\r\n0\r\n\r\n", -1, s3err.InvalidRequest},
		{"signed, other extension", PayloadStreaming, nil, "5;foo=bar\r\nhello\r\n", -1, s3err.InvalidRequest},
		{"signed, bad signature", PayloadStreaming, nil, "5;chunk-signature=xyz\r\nhello\r\n", -1, s3err.InvalidRequest},
		{"signed trailer", PayloadStreamingTrailer, crc, withTrailer, 11, ""},
		{"signed trailer, LF lines", PayloadStreamingTrailer, crc, signed + strings.ReplaceAll(withTrailer[len(signed):], "\r\n", "\n"), 11, ""},
		{"signed trailer, tampered", PayloadStreamingTrailer, crc, strings.Replace(withTrailer, "AAAAAA==", "AAAAAB==", 1), -1, s3err.SignatureDoesNotMatch},
		{"signed trailer, unsigned", PayloadStreamingTrailer, crc, signed + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n", -1, s3err.MalformedTrailerError},
		{"signed trailer, line after signature", PayloadStreamingTrailer, crc, withTrailer + "x-amz-meta-a:b\r\n", -1, s3err.MalformedTrailerError},
		{"signed trailer, undeclared", PayloadStreamingTrailer, nil, withTrailer, -1, s3err.MalformedTrailerError},
		{"signed trailer, missing declared", PayloadStreamingTrailer, []string{"x-amz-checksum-crc32", "x-amz-checksum-sha1"}, withTrailer, -1, s3err.MalformedTrailerError},
		{"unsigned trailer", PayloadStreamingUnsignedTrailer, crc, "6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", 11, ""},
		{"unsigned trailer, minio style", PayloadStreamingUnsignedTrailer, crc, "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\n\r\n\r\n", 11, ""},
		{"unsigned trailer, none", PayloadStreamingUnsignedTrailer, nil, "b\r\nhello world\r\n0\r\n\r\n", 11, ""},
		{"unsigned trailer, missing", PayloadStreamingUnsignedTrailer, crc, "b\r\nhello world\r\n0\r\n\r\n", 11, s3err.MalformedTrailerError},
		{"unsigned trailer, signature", PayloadStreamingUnsignedTrailer, nil, "0\r\nx-amz-trailer-signature:" + sig64 + "\r\n", -1, s3err.MalformedTrailerError},
		{"unsigned trailer, not name:value", PayloadStreamingUnsignedTrailer, crc, "0\r\nx-amz-checksum-crc32\r\n", -1, s3err.MalformedTrailerError},
		{"unsigned trailer, twice", PayloadStreamingUnsignedTrailer, crc, "0\r\nx-amz-checksum-crc32:a\r\nx-amz-checksum-crc32:a\r\n", -1, s3err.MalformedTrailerError},
		{"unsigned trailer, too long", PayloadStreamingUnsignedTrailer, nil, "0\r\n" + strings.Repeat("x-amz-meta-a:b\r\n", 2000), -1, s3err.MalformedTrailerError},
		{"unsigned, chunk signature", PayloadStreamingUnsignedTrailer, nil, "5;chunk-signature=" + sig64 + "\r\nhello\r\n0\r\n\r\n", -1, s3err.InvalidRequest},
		{"unsigned, no CRLF after data", PayloadStreamingUnsignedTrailer, nil, "5\r\nhelloXX0\r\n\r\n", -1, s3err.InvalidRequest},
		{"unsigned, truncated data", PayloadStreamingUnsignedTrailer, nil, "5\r\nhel", -1, s3err.IncompleteBody},
		{"unsigned, truncated CRLF", PayloadStreamingUnsignedTrailer, nil, "5\r\nhello\r", -1, s3err.IncompleteBody},
		{"unsigned, bad size", PayloadStreamingUnsignedTrailer, nil, "zz\r\n", -1, s3err.InvalidRequest},
		{"unsigned, signed size", PayloadStreamingUnsignedTrailer, nil, "-5\r\n", -1, s3err.InvalidRequest},
		{"unsigned, 0x size", PayloadStreamingUnsignedTrailer, nil, "0x5\r\n", -1, s3err.InvalidRequest},
		{"unsigned, huge size", PayloadStreamingUnsignedTrailer, nil, "fffffffffffffffff\r\n", -1, s3err.InvalidRequest},
		{"unsigned, chunk over limit", PayloadStreamingUnsignedTrailer, nil, "401\r\n", -1, s3err.InvalidRequest},
		{"unsigned, LF header", PayloadStreamingUnsignedTrailer, nil, "5\nhello\r\n", -1, s3err.InvalidRequest},
		{"unsigned, header too long", PayloadStreamingUnsignedTrailer, nil, strings.Repeat("0", 5000) + "\r\n", -1, s3err.InvalidRequest},
		{"unsigned, empty body", PayloadStreamingUnsignedTrailer, nil, "", -1, s3err.IncompleteBody},
		{"unsigned, more than declared", PayloadStreamingUnsignedTrailer, nil, "b\r\nhello world\r\n0\r\n\r\n", 10, s3err.IncompleteBody},
		{"unsigned, less than declared", PayloadStreamingUnsignedTrailer, nil, "b\r\nhello world\r\n0\r\n\r\n", 12, s3err.IncompleteBody},
	}
	for _, tt := range tests {
		cr, got, err := decode(tt.mode, tt.declared, tt.body, tt.n)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want == "" && got != "hello world":
			t.Errorf("%s: decoded %q", tt.name, got)
		case tt.want != "" && !s3err.Is(err, tt.want):
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
		if tt.want == "" && len(tt.declared) == 1 {
			if v, _ := cr.TrailerValue(tt.declared[0]); v != "AAAAAA==" {
				t.Errorf("%s: trailer %q", tt.name, v)
			}
		}
	}
}

func TestChunkedEveryPrefixFails(t *testing.T) {
	s := testSigning()
	signed, last := signChunks(s, "hello ", "world")
	bodies := []struct {
		mode Payload
		body string
		// complete is the shortest prefix that decodes: the final line
		// endings may be missing, everything before them is signed.
		complete int
	}{
		{PayloadStreaming, signed + "\r\n", len(signed)},
		{PayloadStreamingTrailer, signed + signTrailers(s, last, "x-amz-checksum-crc32:AAAAAA=="), -4},
	}
	for _, b := range bodies {
		if b.complete < 0 {
			b.complete += len(b.body)
		}
		for n := range b.complete {
			_, _, err := decode(b.mode, []string{"x-amz-checksum-crc32"}[:boolInt(b.mode.Trailing())], b.body[:n], 11)
			if err == nil {
				t.Errorf("%v: prefix of %d/%d bytes decoded without error", b.mode, n, len(b.body))
			}
		}
	}
}

// boolInt returns 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestChunkedErrorIsSticky(t *testing.T) {
	cr := NewChunkedReader(strings.NewReader("zz\r\n"), Result{Payload: PayloadStreamingUnsignedTrailer}, ChunkOptions{DecodedLength: -1})
	_, err1 := cr.Read(make([]byte, 4))
	_, err2 := cr.Read(make([]byte, 4))
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v then %v", err1, err2)
	}
}
