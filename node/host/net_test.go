package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestCallBetweenThreeNodes(t *testing.T) {
	nets := cluster(t, 3, nil)
	for _, from := range nets {
		for _, to := range nets {
			req := []byte("hi from " + from.ID())
			got, err := call(from, to.ID(), "echo", req)
			if err != nil {
				t.Fatalf("%s -> %s: %v", from.ID(), to.ID(), err)
			}
			if want := string(to.ID()) + ":" + string(req); string(got) != want {
				t.Errorf("%s -> %s: got %q, want %q", from.ID(), to.ID(), got, want)
			}
		}
	}
	for _, a := range nets {
		for _, b := range nets {
			if a == b {
				continue
			}
			eventually(t, "one connection per pair", func() bool {
				k, active := connCount(a, b.ID())
				return k == 1 && active
			})
		}
	}
}

func TestParallelCallsAndSimultaneousDial(t *testing.T) {
	nets := cluster(t, 2, nil)
	const calls = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*calls)
	for i := range calls {
		for j, from := range nets {
			to := nets[1-j]
			wg.Go(func() {
				req := fmt.Appendf(nil, "req-%d", i)
				got, err := call(from, to.ID(), "echo", req)
				if err == nil && string(got) != string(to.ID())+":"+string(req) {
					err = fmt.Errorf("got %q for %q", got, req)
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for j, n := range nets {
		eventually(t, "dials converge on one connection", func() bool {
			k, active := connCount(n, nets[1-j].ID())
			return k == 1 && active
		})
	}
}

func TestCallErrors(t *testing.T) {
	nets := cluster(t, 2, nil)
	a, b := nets[0], nets[1]
	b.Handle("fail", func(context.Context, rt.NodeID, []byte) ([]byte, error) {
		return nil, errors.New("disk on fire")
	})
	b.Handle("panic", func(context.Context, rt.NodeID, []byte) ([]byte, error) {
		panic("boom")
	})
	a.Handle("panic", func(context.Context, rt.NodeID, []byte) ([]byte, error) {
		panic("boom")
	})
	a.AddPeer("nobody-home", "127.0.0.1:1")
	cases := []struct {
		name      string
		to        rt.NodeID
		ep        string
		wantIs    error
		wantMsgIn string // for *rt.RemoteError
	}{
		{"no handler remote", b.ID(), "missing", rt.ErrNoHandler, ""},
		{"no handler self", a.ID(), "missing", rt.ErrNoHandler, ""},
		{"handler error", b.ID(), "fail", nil, "disk on fire"},
		{"handler panic remote", b.ID(), "panic", nil, "panic: boom"},
		{"handler panic self", a.ID(), "panic", nil, "panic: boom"},
		{"unknown peer", "stranger", "echo", rt.ErrUnreachable, ""},
		{"nothing listening", "nobody-home", "echo", rt.ErrUnreachable, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := call(a, c.to, c.ep, nil)
			if c.wantIs != nil {
				wantErr(t, err, c.wantIs)
				return
			}
			var re *rt.RemoteError
			if !errors.As(err, &re) || !strings.Contains(re.Msg, c.wantMsgIn) || re.Endpoint != c.ep {
				t.Fatalf("got %v, want a RemoteError from %s containing %q", err, c.ep, c.wantMsgIn)
			}
		})
	}
	if _, err := call(a, b.ID(), "echo", nil); err != nil {
		t.Errorf("node stopped serving after the errors: %v", err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	nets := cluster(t, 2, nil)
	a, b := nets[0], nets[1]
	handlerCtxDone := make(chan error, 4)
	block := func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
		<-ctx.Done()
		handlerCtxDone <- ctx.Err()
		return nil, ctx.Err()
	}
	a.Handle("block", block)
	b.Handle("block", block)
	for _, to := range []rt.NodeID{b.ID(), a.ID()} {
		_, err := a.Call(context.Background(), to, "block", nil, rt.CallOpts{Timeout: 50 * time.Millisecond})
		wantErr(t, err, rt.ErrTimeout)
		if got := <-handlerCtxDone; !errors.Is(got, context.DeadlineExceeded) {
			t.Errorf("handler on %s: context ended with %v, want deadline exceeded", to, got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err = a.Call(ctx, to, "block", nil, rt.CallOpts{Timeout: time.Minute})
		wantErr(t, err, context.Canceled)
		if errors.Is(err, rt.ErrTimeout) {
			t.Errorf("cancelled call also reports a timeout: %v", err)
		}
		// The cancellation reaches the handler long before its minute.
		if got := <-handlerCtxDone; !errors.Is(got, context.Canceled) {
			t.Errorf("handler on %s: context ended with %v, want canceled", to, got)
		}
	}
}

func TestPeerRestartReconnects(t *testing.T) {
	nets := cluster(t, 2, nil)
	a, b := nets[0], nets[1]
	if _, err := call(a, b.ID(), "echo", []byte("x")); err != nil {
		t.Fatal(err)
	}
	addr := b.Addr()
	b.Close()
	_, err := call(a, b.ID(), "echo", []byte("x"))
	wantErr(t, err, rt.ErrUnreachable)

	cfg := testConfig(b.ID())
	cfg.Listen = addr
	b2 := startNet(t, cfg)
	serveEcho(b2)
	var got []byte
	eventually(t, "call succeeds after restart", func() bool {
		got, err = call(a, b.ID(), "echo", []byte("x"))
		return err == nil
	})
	if string(got) != "n2:x" {
		t.Errorf("got %q after restart, want %q", got, "n2:x")
	}
	// The restarted node can call back over the same connection.
	b2.AddPeer(a.ID(), a.Addr())
	if _, err := call(b2, a.ID(), "echo", nil); err != nil {
		t.Errorf("call back after restart: %v", err)
	}
}

func TestLargeMessages(t *testing.T) {
	nets := cluster(t, 2, func(c *NetConfig) { c.MaxMessage = 4 << 20; c.ChunkSize = 4 << 10 })
	a, b := nets[0], nets[1]
	big := bytes.Repeat([]byte("0123456789abcdef"), (3<<20)/16)
	for _, prio := range []rt.Priority{rt.PrioHigh, rt.PrioBackground} {
		got, err := a.Call(context.Background(), b.ID(), "echo", big, rt.CallOpts{Prio: prio})
		if err != nil {
			t.Fatalf("prio %v: %v", prio, err)
		}
		if want := append([]byte("n2:"), big...); !bytes.Equal(got, want) {
			t.Fatalf("prio %v: reply of %d bytes differs from the %d wanted", prio, len(got), len(want))
		}
	}
	_, err := call(a, b.ID(), "echo", make([]byte, 5<<20))
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("oversize request: got %v, want a size error", err)
	}
	// The reply (request + "n2:") is over the limit: an error reply.
	_, err = call(a, b.ID(), "echo", make([]byte, 4<<20))
	var re *rt.RemoteError
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "exceeds") {
		t.Errorf("oversize reply: got %v, want a RemoteError about size", err)
	}
}
