package sigv4

import (
	"bytes"
	"crypto/sha256"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"testing"

	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/gogarage/garage/node/s3/s3err"
)

// sha256Hasher adapts sha256 to minio's md5simd.Hasher.
type sha256Hasher struct{ hash.Hash }

// Close does nothing.
func (sha256Hasher) Close() {}

// minioStreaming returns a request streamed and signed by minio-go: its
// view and its encoded body. trailer, if not nil, is sent signed after the
// data.
func minioStreaming(t *testing.T, data []byte, trailer http.Header) (Request, []byte) {
	t.Helper()
	u := &url.URL{Scheme: "http", Host: "localhost:3900", Path: "/bucket/some key+é"}
	req := &http.Request{Method: "PUT", URL: u, Host: u.Host, Header: http.Header{}, Trailer: trailer,
		Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data))}
	ak := "GK31c2f218a2e44f485b94239e"
	req = signer.StreamingSignV4(req, ak, oracleSecrets()[ak], "", "garage", int64(len(data)), oracleTime(), sha256Hasher{sha256.New()})
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && int64(len(body)) != req.ContentLength {
		t.Fatalf("minio body is %d bytes, announced %d", len(body), req.ContentLength)
	}
	return viewOf(req), body
}

// minioUnsignedTrailer returns a request streamed by minio-go with
// STREAMING-UNSIGNED-PAYLOAD-TRAILER and header-signed.
func minioUnsignedTrailer(t *testing.T, data []byte, trailer http.Header) (Request, []byte) {
	t.Helper()
	u := &url.URL{Scheme: "http", Host: "localhost:3900", Path: "/bucket/k"}
	req := &http.Request{Method: "PUT", URL: u, Host: u.Host, Header: http.Header{}, Trailer: trailer,
		Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data))}
	ak := "GK31c2f218a2e44f485b94239e"
	req.Header.Set("X-Amz-Content-Sha256", StreamingUnsignedPayloadTrailer)
	signed := signer.SignV4Trailer(*req, ak, oracleSecrets()[ak], "", "garage", trailer)
	body, err := io.ReadAll(signed.Body)
	if err != nil {
		t.Fatal(err)
	}
	return viewOf(signed), body
}

// decodeAll verifies r and reads body through the decoder.
func decodeAll(r Request, body []byte, n int) (*ChunkedReader, []byte, error) {
	now, err := parseAmzDate(r.Get("X-Amz-Date")) // minio's SignV4Trailer signs at the wall-clock time
	if err != nil {
		return nil, nil, err
	}
	res, err := oracleVerifier().Verify(r, now)
	if err != nil {
		return nil, nil, err
	}
	cr := NewChunkedReader(bytes.NewReader(body), res, ChunkOptions{DecodedLength: int64(n)})
	got, err := io.ReadAll(cr)
	return cr, got, err
}

func TestMinioStreamingAccepted(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{0, 1, 100, 64 << 10, 64<<10 + 1, 200_000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		r, body := minioStreaming(t, data, nil)
		_, got, err := decodeAll(r, body, n)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: decoded %d bytes, %v", n, len(got), err)
		}
	}
}

func TestMinioStreamingTrailerAccepted(t *testing.T) {
	data := bytes.Repeat([]byte("garage "), 20_000)
	trailer := http.Header{"X-Amz-Checksum-Crc32c": {"deadbeef"}}
	r, body := minioStreaming(t, data, trailer)
	cr, got, err := decodeAll(r, body, len(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("decoded %d bytes, %v", len(got), err)
	}
	if v, ok := cr.TrailerValue("x-amz-checksum-crc32c"); !ok || v != "deadbeef" {
		t.Errorf("trailer = %q, %v", v, ok)
	}
	tampered := bytes.Replace(body, []byte("deadbeef"), []byte("deadbeee"), 1)
	if _, _, err := decodeAll(r, tampered, len(data)); !s3err.Is(err, s3err.SignatureDoesNotMatch) {
		t.Errorf("tampered trailer: %v, want SignatureDoesNotMatch", err)
	}
}

func TestMinioUnsignedTrailerAccepted(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 70_000)
	trailer := http.Header{"X-Amz-Checksum-Crc32": {"AAAAAA=="}}
	r, body := minioUnsignedTrailer(t, data, trailer)
	cr, got, err := decodeAll(r, body, len(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("decoded %d bytes, %v", len(got), err)
	}
	if v, _ := cr.TrailerValue("x-amz-checksum-crc32"); v != "AAAAAA==" {
		t.Errorf("trailer = %q", v)
	}
}

func TestMinioStreamingTampered(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 10_000)
	r, body := minioStreaming(t, data, nil)
	flip := func(i int) []byte {
		b := bytes.Clone(body)
		b[i] ^= 1
		return b
	}
	tests := []struct {
		name string
		body []byte
		n    int
		want s3err.Code
	}{
		{"data byte", flip(200), len(data), s3err.SignatureDoesNotMatch},
		{"last data byte", flip(len(body) - 100), len(data), s3err.SignatureDoesNotMatch},
		{"truncated in data", body[:1000], len(data), s3err.IncompleteBody},
		{"truncated before final chunk", body[:len(body)-90], len(data), s3err.IncompleteBody},
		{"empty", nil, len(data), s3err.IncompleteBody},
		{"longer than declared", body, len(data) - 1, s3err.IncompleteBody},
		{"shorter than declared", body, len(data) + 1, s3err.IncompleteBody},
		{"trailing garbage", append(bytes.Clone(body), "xyz"...), len(data), s3err.InvalidRequest},
	}
	for _, tt := range tests {
		_, _, err := decodeAll(r, tt.body, tt.n)
		if !s3err.Is(err, tt.want) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}
