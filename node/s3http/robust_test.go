package s3http_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3test"
	"github.com/gogarage/garage/node/s3http"
)

// TestDisconnectMidUpload cuts a PUT's connection halfway through its
// body: the object must not appear.
func TestDisconnectMidUpload(t *testing.T) {
	s := newServer(t, s3Config())
	mustCreate(t, s.client(), "cut")
	ps := presignPut(t, s, "cut", "half")
	u := strings.TrimPrefix(ps, "http://")
	host, path, _ := strings.Cut(u, "/")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT /%s HTTP/1.1\r\nHost: %s\r\nContent-Length: 100000\r\n\r\n", path, host)
	conn.Write(make([]byte, 40000))
	conn.Close()
	time.Sleep(200 * time.Millisecond)
	b, _ := s.mem.BucketByAlias(context.Background(), "cut")
	if _, err := s.mem.Head(context.Background(), b.ID, "half"); err == nil {
		t.Errorf("an interrupted upload left an object")
	}
}

func presignPut(t *testing.T, s *server, bucket, key string) string {
	t.Helper()
	req, _ := http.NewRequest("PUT", s.srv.URL+"/"+bucket+"/"+key+"?X-Amz-Expires=600", nil)
	u, _, err := signer().PresignHTTP(context.Background(), creds(), req, "UNSIGNED-PAYLOAD", "s3", region, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// panicky is a store whose reads panic.
type panicky struct{ *s3test.Mem }

func (panicky) Head(context.Context, s3.BucketID, string) (s3.Object, error) { panic("boom") }

func (panicky) Get(context.Context, s3.BucketID, string) (s3.Object, io.ReadCloser, error) {
	panic("boom")
}

// TestPanicBecomesInternalError checks that a panic below the service is
// answered as an InternalError with a request id.
func TestPanicBecomesInternalError(t *testing.T) {
	clock := host.NewClock()
	mem := s3test.NewMem(clock.Now)
	mem.AddKey(s3.Key{ID: keyID, Secret: secret, AllowCreateBucket: true})
	svc := s3.New(rt.Env{Clock: clock, Rand: host.NewRand()}, panicky{mem}, s3.Config{Region: region})
	srv := httptest.NewServer(s3http.New(svc, nil))
	defer srv.Close()
	s := &server{mem: mem, svc: svc, srv: srv}
	mustCreate(t, s.client(), "pan")
	req, _ := http.NewRequest("GET", srv.URL+"/pan/x?X-Amz-Expires=600", nil)
	u, _, _ := signer().PresignHTTP(context.Background(), creds(), req, "UNSIGNED-PAYLOAD", "s3", region, time.Now())
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	if resp.StatusCode != 500 || !strings.Contains(body, "InternalError") || resp.Header.Get("X-Amz-Request-Id") == "" {
		t.Errorf("panic: %s %s", resp.Status, body)
	}
}
