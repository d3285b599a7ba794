package s3http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/minio/minio-go/v7"
	mcreds "github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// minioClient returns a minio-go client of the server; trailing enables
// trailing checksums (STREAMING-*-TRAILER modes).
func (s *server) minioClient(t *testing.T, trailing bool) *minio.Client {
	t.Helper()
	u, _ := url.Parse(s.srv.URL)
	c, err := minio.New(u.Host, &minio.Options{Creds: mcreds.NewStaticV4(keyID, secret, ""), Region: region,
		BucketLookup: minio.BucketLookupPath, TrailingHeaders: trailing})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSigningModes puts and gets an object in every payload mode S3
// clients use and checks the data comes back byte-exact.
func TestSigningModes(t *testing.T) {
	s := newServer(t, s3Config())
	ctx := ctxT(t)
	mustCreate(t, s.client(), "modes")
	body := bytes.Repeat([]byte("garage!"), 200_000) // 1.4 MB: several chunks
	mc, mct := s.minioClient(t, false), s.minioClient(t, true)
	modes := []struct {
		name string
		put  func(key string) error
	}{
		{"sdk-default", func(key string) error {
			_, err := s.client().PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("modes"), Key: aws.String(key), Body: bytes.NewReader(body)})
			return err
		}},
		{"sdk-unsigned-payload", func(key string) error {
			_, err := s.client().PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("modes"), Key: aws.String(key), Body: bytes.NewReader(body)},
				awss3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
			return err
		}},
		{"minio-streaming-signed", func(key string) error {
			_, err := mc.PutObject(ctx, "modes", key, bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{})
			return err
		}},
		{"minio-streaming-signed-trailer", func(key string) error {
			_, err := mct.PutObject(ctx, "modes", key, bytes.NewReader(body), int64(len(body)),
				minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C})
			return err
		}},
		{"minio-content-md5", func(key string) error {
			_, err := mc.PutObject(ctx, "modes", key, bytes.NewReader(body), int64(len(body)),
				minio.PutObjectOptions{SendContentMd5: true, DisableContentSha256: true})
			return err
		}},
	}
	for _, m := range modes {
		if err := m.put(m.name); err != nil {
			t.Errorf("%s: put: %v", m.name, err)
			continue
		}
		o, err := mc.GetObject(ctx, "modes", m.name, minio.GetObjectOptions{})
		if err != nil {
			t.Errorf("%s: get: %v", m.name, err)
			continue
		}
		got, err := io.ReadAll(o)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("%s: got %d bytes (%v), want %d", m.name, len(got), err, len(body))
		}
	}
}

// TestPresigned checks presigned GET and PUT URLs, and that an expired
// one is refused.
func TestPresigned(t *testing.T) {
	s := newServer(t, s3Config())
	ctx := ctxT(t)
	mustCreate(t, s.client(), "pre")
	ps := awss3.NewPresignClient(s.client())
	put, err := ps.PresignPutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("k y")},
		awss3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("PUT", put.URL, strings.NewReader("presigned body"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("presigned put: %v %v", err, status(resp))
	}
	get, err := ps.PresignGetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("k y")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(get.URL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("presigned get: %v %v", err, status(resp))
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "presigned body" {
		t.Errorf("presigned get: %q", b)
	}
	old, _ := http.NewRequest("GET", s.srv.URL+"/pre/k%20y?X-Amz-Expires=60", nil)
	oldURL, _, err := v4.NewSigner().PresignHTTP(ctx, aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}, old,
		"UNSIGNED-PAYLOAD", "s3", region, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(oldURL)
	if err != nil || resp.StatusCode != 403 || !strings.Contains(readAll(resp), "AccessDenied") {
		t.Errorf("expired presigned get: %v %v, want 403 AccessDenied", err, status(resp))
	}
}

func status(r *http.Response) string {
	if r == nil {
		return "no response"
	}
	return r.Status + " " + readAll(r)
}

func readAll(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// TestAuthErrors checks the 403 answers of bad signatures and clocks.
func TestAuthErrors(t *testing.T) {
	s := newServer(t, s3Config())
	ctx := ctxT(t)
	mustCreate(t, s.client(), "auth")
	s.mem.AddKey(s3.Key{ID: "GKother000000000000000000", Secret: secret})
	// A wrong region is 400 AuthorizationHeaderMalformed, as AWS answers;
	// every other case is 403.
	cases := []struct {
		name     string
		cl       *s3client.Client
		wantCode string
	}{
		{"wrong secret", s3client.New(http.DefaultClient, s.srv.URL, keyID, "nope", region, time.Now), "SignatureDoesNotMatch"},
		{"unknown key", s3client.New(http.DefaultClient, s.srv.URL, "GKnobody0000000000000000", secret, region, time.Now), "InvalidAccessKeyId"},
		{"wrong region", s3client.New(http.DefaultClient, s.srv.URL, keyID, secret, "us-east-1", time.Now), "AuthorizationHeaderMalformed"},
		{"clock skew", s3client.New(http.DefaultClient, s.srv.URL, keyID, secret, region,
			func() time.Time { return time.Now().Add(16 * time.Minute) }), "RequestTimeTooSkewed"},
		{"no permission", s3client.New(http.DefaultClient, s.srv.URL, "GKother000000000000000000", secret, region, time.Now), "AccessDenied"},
	}
	for _, c := range cases {
		_, err := c.cl.PutObject(ctx, "auth", "k", []byte("x"), nil)
		var e *s3client.Error
		want := 403
		if c.wantCode == "AuthorizationHeaderMalformed" {
			want = 400
		}
		if !asError(err, &e) || e.Status != want || e.Code != c.wantCode {
			t.Errorf("%s: %v, want %d %s", c.name, err, want, c.wantCode)
		}
	}
}

func asError(err error, e **s3client.Error) bool {
	x, ok := err.(*s3client.Error)
	*e = x
	return ok
}

// TestTamperedChunk sends an aws-chunked body whose second chunk's
// signature is wrong: the upload is refused and leaves nothing.
func TestTamperedChunk(t *testing.T) {
	s := newServer(t, s3Config())
	mustCreate(t, s.client(), "chunk")
	now := time.Now().UTC()
	data := [][]byte{bytes.Repeat([]byte("a"), 8192), []byte("bbb")}
	req := streamingRequest(t, s.srv.URL+"/chunk/obj", now, data, 1)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	if resp.StatusCode != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("tampered chunk: %s %s, want 403 SignatureDoesNotMatch", resp.Status, body)
	}
	if _, err := s.mem.Head(context.Background(), bucketID(t, s, "chunk"), "obj"); err == nil {
		t.Errorf("tampered upload left an object")
	}
	good := streamingRequest(t, s.srv.URL+"/chunk/obj", now, data, -1)
	if resp, err := http.DefaultClient.Do(good); err != nil || resp.StatusCode != 200 {
		t.Errorf("untampered chunked upload: %v %s", err, status(resp))
	}
}

func bucketID(t *testing.T, s *server, name string) s3.BucketID {
	b, err := s.mem.BucketByAlias(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// streamingRequest builds a STREAMING-AWS4-HMAC-SHA256-PAYLOAD PUT of
// chunks, the signature of chunk number tamper (if >= 0) altered.
func streamingRequest(t *testing.T, u string, now time.Time, chunks [][]byte, tamper int) *http.Request {
	t.Helper()
	var total int
	for _, c := range chunks {
		total += len(c)
	}
	req, _ := http.NewRequest("PUT", u, nil)
	req.Header.Set("X-Amz-Content-Sha256", sigv4.StreamingPayload)
	req.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(total))
	req.Header.Set("Content-Encoding", "aws-chunked")
	scope := sigv4.Scope{Date: now.Format(sigv4.DateFormat), Region: region, Service: "s3"}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	var body bytes.Buffer
	// The seed signature covers the headers; the body is appended after.
	req.ContentLength = int64(encodedLength(chunks))
	if err := signer.SignHTTP(context.Background(), creds, req, sigv4.StreamingPayload, "s3", region, now); err != nil {
		t.Fatal(err)
	}
	auth, err := sigv4.ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	key, prev := sigv4.SigningKey(secret, scope), auth.Signature
	for i, c := range append(chunks, nil) {
		h := sha256.Sum256(c)
		sts := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", now.Format(sigv4.TimeFormat), scope.String(), prev,
			emptyHash, hex.EncodeToString(h[:])}, "\n")
		sig := sigv4.Sign(key, sts)
		prev = sig
		if i == tamper {
			sig = strings.Repeat("0", 64)
		}
		fmt.Fprintf(&body, "%x;chunk-signature=%s\r\n%s\r\n", len(c), sig, c)
	}
	req.Body = io.NopCloser(&body)
	return req
}

const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func encodedLength(chunks [][]byte) int {
	n := 0
	for _, c := range append(chunks, nil) {
		n += len(fmt.Sprintf("%x;chunk-signature=%s\r\n", len(c), strings.Repeat("0", 64))) + len(c) + 2
	}
	return n
}

// TestHeadErrorsNameTheirCode: a HEAD answer has no body, so a 404 of a
// missing key and one of a missing bucket differ only by the error-code
// header; the workload client reads a missing bucket as an error, never
// as an absent object.
func TestHeadErrorsNameTheirCode(t *testing.T) {
	s := newServer(t, s3Config())
	ctx := ctxT(t)
	mustCreate(t, s.client(), "heads")
	cl := s3client.New(http.DefaultClient, s.srv.URL, keyID, secret, region, time.Now)
	if o, err := cl.HeadObject(ctx, "heads", "nothing"); err != nil || o.Found {
		t.Errorf("HEAD of a missing key: %+v %v, want not found and no error", o, err)
	}
	_, err := cl.HeadObject(ctx, "no-such-bucket", "k")
	var e *s3client.Error
	if !asError(err, &e) || e.Status != 404 || e.Code != "NoSuchBucket" {
		t.Errorf("HEAD in a missing bucket: %v, want 404 NoSuchBucket", err)
	}
}
