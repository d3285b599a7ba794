package s3client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3test"
	"github.com/gogarage/garage/node/s3http"
	"github.com/gogarage/garage/sim"
)

func TestMain(m *testing.M) {
	os.Unsetenv("AWS_CA_BUNDLE")
	os.Exit(m.Run())
}

const (
	keyID  = "GK0123456789abcdef01234567"
	secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func newMem(now func() time.Time) *s3test.Mem {
	mem := s3test.NewMem(now)
	mem.AddKey(s3.Key{ID: keyID, Secret: secret, AllowCreateBucket: true})
	return mem
}

// exercise runs the client's operations and checks their results.
func exercise(ctx context.Context, cl *s3client.Client) error {
	if err := cl.CreateBucket(ctx, "wkl"); err != nil {
		return fmt.Errorf("create bucket: %w", err)
	}
	if names, err := cl.ListBuckets(ctx); err != nil || !slices.Equal(names, []string{"wkl"}) {
		return fmt.Errorf("list buckets: %v %v", names, err)
	}
	const key = `k &+é "x"`
	if _, err := cl.PutObject(ctx, "wkl", key, []byte("v1"), nil); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if o, err := cl.GetObject(ctx, "wkl", key); err != nil || !o.Found || string(o.Body) != "v1" {
		return fmt.Errorf("get: %q %v %v", o.Body, o.Found, err)
	}
	if _, err := cl.DeleteObject(ctx, "wkl", key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if o, err := cl.GetObject(ctx, "wkl", key); err != nil || o.Found {
		return fmt.Errorf("get after delete: %v %v", o.Found, err)
	}
	set := s3client.Set{C: cl, Bucket: "wkl"}
	for _, e := range []string{"a", "b", "c", "d", "e"} {
		if err := set.Add(ctx, "s0", e); err != nil {
			return fmt.Errorf("add: %w", err)
		}
	}
	var all []string
	cursor := ""
	for {
		elems, next, err := set.ListPage(ctx, "s0", cursor, 2)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		all = append(all, elems...)
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(all, []string{"a", "b", "c", "d", "e"}) {
		return fmt.Errorf("listing: %v", all)
	}
	return nil
}

func TestClientOverHTTP(t *testing.T) {
	clock := host.NewClock()
	svc := s3.New(rt.Env{Clock: clock, Rand: host.NewRand()}, newMem(clock.Now), s3.Config{})
	srv := httptest.NewServer(s3http.New(svc, nil))
	defer srv.Close()
	cl := s3client.New(http.DefaultClient, srv.URL, keyID, secret, s3.DefaultRegion, time.Now)
	if err := exercise(context.Background(), cl); err != nil {
		t.Fatal(err)
	}
}

// TestClientInSimulator calls the handler synchronously from a world
// task: the same signed requests, no socket.
func TestClientInSimulator(t *testing.T) {
	w := sim.New(sim.Config{Seed: 7})
	defer w.Close()
	var h http.Handler
	w.AddNode("n1", "z1", func(env rt.Env) {
		h = s3http.New(s3.New(env, newMem(env.Clock.Now), s3.Config{}), nil)
	})
	if err := w.RunUntil(func() bool { return h != nil }, time.Second); err != nil {
		t.Fatal(err)
	}
	var err error
	done := false
	w.Go("client", func(ctx context.Context) {
		defer func() { done = true }()
		env := w.Env("n1")
		cl := s3client.New(s3client.Handler{H: func() http.Handler { return h }}, "http://n1:3900", keyID, secret,
			s3.DefaultRegion, env.Clock.Now)
		err = exercise(ctx, cl)
	})
	if werr := w.RunUntil(func() bool { return done }, time.Minute); werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
}
