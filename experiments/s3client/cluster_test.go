package s3client_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3http"
	"github.com/gogarage/garage/sim"
)

// TestAssembledCluster runs S3 requests, signed and parsed as in the real
// world, against the assembled nodes of a simulated cluster: written
// through one node, read through another.
func TestAssembledCluster(t *testing.T) {
	w := sim.New(sim.Config{Seed: 11, SyncOnCommit: true})
	defer w.Close()
	cfg := simcluster.Default()
	cfg.Nodes, cfg.RTT, cfg.Jitter = 3, 10*time.Millisecond, 2*time.Millisecond
	c, err := simcluster.Boot(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	handler := func(i int) s3client.Doer {
		return s3client.Handler{H: func() http.Handler { return s3http.New(c.Node(i).S3(), nil) }}
	}
	client := func(i int) *s3client.Client {
		return s3client.New(handler(i), "http://n:3900", keyID, secret, s3.DefaultRegion, w.Env(c.IDs[i]).Clock.Now)
	}
	var runErr error
	done := false
	w.Go("client", func(ctx context.Context) {
		defer func() { done = true }()
		if _, err := c.Node(0).Objects().ImportKey(ctx, keyID, secret, "test"); err != nil {
			runErr = fmt.Errorf("import key: %w", err)
			return
		}
		if err := c.Node(0).Objects().SetAllowCreateBucket(ctx, keyID, true); err != nil {
			runErr = err
			return
		}
		if runErr = exercise(ctx, client(0)); runErr != nil {
			return
		}
		runErr = bigObjects(ctx, client(1), client(2))
	})
	if err := w.RunUntil(func() bool { return done }, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if runErr != nil {
		t.Fatal(runErr)
	}
}

// bigObjects writes objects of several blocks through one client and
// reads them through another.
func bigObjects(ctx context.Context, wr, rd *s3client.Client) error {
	body := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB: four blocks
	if _, err := wr.PutObject(ctx, "wkl", "big", body, map[string]string{"h": "x"}); err != nil {
		return fmt.Errorf("put big: %w", err)
	}
	o, err := rd.GetObject(ctx, "wkl", "big")
	if err != nil || !bytes.Equal(o.Body, body) || o.Meta.Get("X-Amz-Meta-H") != "x" {
		return fmt.Errorf("get big: %d bytes, meta %q, %v", len(o.Body), o.Meta.Get("X-Amz-Meta-H"), err)
	}
	parts := [][]byte{bytes.Repeat([]byte("p"), 5<<20), []byte("end")}
	if _, err := wr.PutMultipart(ctx, "wkl", "mp", parts, nil); err != nil {
		return fmt.Errorf("multipart: %w", err)
	}
	o, err = rd.GetObject(ctx, "wkl", "mp")
	if err != nil || len(o.Body) != 5<<20+3 || string(o.Body[len(o.Body)-3:]) != "end" {
		return fmt.Errorf("get multipart: %d bytes, %v", len(o.Body), err)
	}
	return nil
}
