package s3http_test

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3test"
	"github.com/gogarage/garage/node/s3http"
)

func TestMain(m *testing.M) {
	// The SDKs refuse plain http when a CA bundle is configured.
	os.Unsetenv("AWS_CA_BUNDLE")
	os.Exit(m.Run())
}

// Test credentials.
const (
	keyID  = "GK31c2f218a2e44f485b94239e"
	secret = "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835"
	region = "garage"
)

// server is an S3 handler over an in-memory store, listening on
// loopback.
type server struct {
	mem *s3test.Mem
	svc *s3.Service
	srv *httptest.Server
}

func newServer(t *testing.T, cfg s3.Config) *server {
	t.Helper()
	clock := host.NewClock()
	mem := s3test.NewMem(clock.Now)
	mem.AddKey(s3.Key{ID: keyID, Secret: secret, Name: "test", AllowCreateBucket: true})
	if cfg.Region == "" {
		cfg.Region = region
	}
	svc := s3.New(rt.Env{Clock: clock, Rand: host.NewRand()}, mem, cfg)
	srv := httptest.NewServer(s3http.New(svc, nil))
	t.Cleanup(srv.Close)
	return &server{mem: mem, svc: svc, srv: srv}
}

// client returns an aws-sdk-go-v2 client of the server, path style.
func (s *server) client(opts ...func(*awss3.Options)) *awss3.Client {
	return awss3.New(awss3.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(keyID, secret, ""),
	}, opts...)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func s3Config() s3.Config { return s3.Config{Region: region} }

func staticCreds(id, secret string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(id, secret, "")
}

func newMultipart(w io.Writer) *multipart.Writer { return multipart.NewWriter(w) }

func asAs(err error, target any) bool { return errors.As(err, target) }

// storedBytes returns the bytes a Mem stores for o.
func storedBytes(o s3.Object) []byte { return s3test.Stored(o) }

func signer() *v4.Signer { return v4.NewSigner() }

func creds() aws.Credentials { return aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret} }
