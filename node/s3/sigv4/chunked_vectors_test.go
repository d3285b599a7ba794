package sigv4

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/checksum"
)

// chunk returns one signed chunk: header, data, CRLF.
func chunk(data []byte, sig string) string {
	return strings.ToLower(hexSize(len(data))) + ";chunk-signature=" + sig + "\r\n" + string(data) + "\r\n"
}

// hexSize returns n in hex.
func hexSize(n int) string {
	const digits = "0123456789abcdef"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 16 {
		b = append([]byte{digits[n%16]}, b...)
	}
	return string(b)
}

// streamingExample is the published STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// example: 66560 bytes of 'a' in chunks of 65536 and 1024.
func streamingExample() (Request, string) {
	a := bytes.Repeat([]byte{'a'}, 66560)
	body := chunk(a[:65536], "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
		chunk(a[65536:], "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	r := Request{Method: "PUT", RawPath: "/examplebucket/chunkObject.txt", Host: "s3.amazonaws.com",
		Header: map[string][]string{
			"X-Amz-Date":                   {exampleDate},
			"X-Amz-Storage-Class":          {"REDUCED_REDUNDANCY"},
			"X-Amz-Content-Sha256":         {StreamingPayload},
			"Content-Encoding":             {"aws-chunked"},
			"X-Amz-Decoded-Content-Length": {"66560"},
			"Content-Length":               {"66824"},
			"Authorization": {authHeader("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
				"4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")},
		}}
	return r, body
}

func TestPublishedStreamingVector(t *testing.T) {
	r, body := streamingExample()
	if len(body) != 66824 {
		t.Fatalf("example body is %d bytes, want 66824", len(body))
	}
	res, err := exampleVerifier().Verify(r, exampleTime())
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Payload != PayloadStreaming {
		t.Fatalf("payload %v", res.Payload)
	}
	got, err := io.ReadAll(NewChunkedReader(strings.NewReader(body), res, ChunkOptions{DecodedLength: 66560}))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !bytes.Equal(got, bytes.Repeat([]byte{'a'}, 66560)) {
		t.Errorf("decoded %d bytes, not the example's data", len(got))
	}
}

// trailerExample is the published STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
// example: the same data, then an x-amz-checksum-crc32c trailer.
func trailerExample() (Request, string) {
	a := bytes.Repeat([]byte{'a'}, 66560)
	body := chunk(a[:65536], "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2") +
		chunk(a[65536:], "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7") +
		"0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
		"x-amz-checksum-crc32c:sOO8/Q==\r\n" +
		"x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
	r := Request{Method: "PUT", RawPath: "/examplebucket/chunkObject.txt", Host: "s3.amazonaws.com",
		Header: map[string][]string{
			"X-Amz-Date":                   {exampleDate},
			"X-Amz-Storage-Class":          {"REDUCED_REDUNDANCY"},
			"X-Amz-Content-Sha256":         {StreamingPayloadTrailer},
			"Content-Encoding":             {"aws-chunked"},
			"X-Amz-Decoded-Content-Length": {"66560"},
			"X-Amz-Trailer":                {"x-amz-checksum-crc32c"},
			"Authorization": {authHeader("content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
				"106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e")},
		}}
	return r, body
}

func TestPublishedTrailerVector(t *testing.T) {
	r, body := trailerExample()
	res, err := exampleVerifier().Verify(r, exampleTime().Add(-time.Minute))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	cr := NewChunkedReader(strings.NewReader(body), res, ChunkOptions{DecodedLength: 66560})
	got, err := io.ReadAll(cr)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if len(got) != 66560 {
		t.Errorf("decoded %d bytes", len(got))
	}
	if v, ok := cr.TrailerValue("x-amz-checksum-crc32c"); !ok || v != "sOO8/Q==" {
		t.Errorf("trailer = %q, %v", v, ok)
	}
}

func TestPublishedTrailerChecksum(t *testing.T) {
	r, body := trailerExample()
	res, err := exampleVerifier().Verify(r, exampleTime())
	if err != nil {
		t.Fatal(err)
	}
	exp, err := checksum.ParseRequest(r.Get, res.Trailers)
	if err != nil || exp.Algorithm != checksum.CRC32C || !exp.Trailer {
		t.Fatalf("ParseRequest = %+v, %v", exp, err)
	}
	dec := NewBody(strings.NewReader(body), res, ChunkOptions{DecodedLength: 66560})
	cr := checksum.NewReader(dec, exp, dec.TrailerValue)
	if _, err := io.Copy(io.Discard, cr); err != nil {
		t.Fatal(err)
	}
	if got := cr.Sums().Checksum.Base64(); got != "sOO8/Q==" {
		t.Errorf("computed %s", got)
	}
}
