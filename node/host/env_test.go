package host

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
)

func TestFilesConformance(t *testing.T) {
	rttest.TestFiles(t, func(t *testing.T) rt.Files {
		f, err := NewFiles(filepath.Join(t.TempDir(), "files"))
		if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// closeKV is an rt.KV stub that records Close.
type closeKV struct {
	rt.KV
	closed bool
}

func (k *closeKV) Close() error { k.closed = true; return nil }

func TestStartAndClose(t *testing.T) {
	kv := &closeKV{}
	cfg := Config{ID: "n1", Dir: t.TempDir(), KV: kv, Net: NetConfig{Listen: "127.0.0.1:0"}}
	nd, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := nd.Env
	if e.ID != "n1" || e.Clock == nil || e.Rand == nil || e.Net == nil || e.Tasks == nil ||
		e.Files == nil || e.KV != kv || e.Log == nil {
		t.Fatalf("incomplete env: %+v", e)
	}
	e.Net.Handle("ping", func(context.Context, rt.NodeID, []byte) ([]byte, error) { return []byte("pong"), nil })
	got, err := e.Net.Call(context.Background(), "n1", "ping", nil, rt.CallOpts{})
	if err != nil || string(got) != "pong" {
		t.Fatalf("self call: got %q, %v", got, err)
	}
	stopped := make(chan error, 1)
	e.Tasks.Spawn("long", func(ctx context.Context) {
		<-ctx.Done()
		stopped <- ctx.Err()
	})
	if err := nd.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-stopped; !errors.Is(err, context.Canceled) {
		t.Errorf("task saw %v at close, want Canceled", err)
	}
	if !kv.closed {
		t.Error("Close did not close the KV")
	}
	if _, err := Start(Config{}); err == nil {
		t.Error("Start without an id succeeded")
	}
}
