package host

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// xorConn scrambles every byte both ways: traffic only makes sense if both
// ends use the hook's connection.
type xorConn struct{ net.Conn }

func (c xorConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	for i := range p[:n] {
		p[i] ^= 0x5a
	}
	return n, err
}

func (c xorConn) Write(p []byte) (int, error) {
	q := make([]byte, len(p))
	for i := range p {
		q[i] = p[i] ^ 0x5a
	}
	return c.Conn.Write(q)
}

// idHook announces self in a length-prefixed string and trusts what it
// reads, claiming lie instead when set.
func idHook(self rt.NodeID, lie rt.NodeID) func(net.Conn, bool) (net.Conn, rt.NodeID, error) {
	return func(c net.Conn, _ bool) (net.Conn, rt.NodeID, error) {
		msg := binary.BigEndian.AppendUint16(nil, uint16(len(self)))
		if _, err := c.Write(append(msg, self...)); err != nil {
			return nil, "", err
		}
		var l [2]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return nil, "", err
		}
		id := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c, id); err != nil {
			return nil, "", err
		}
		if lie != "" {
			return xorConn{c}, lie, nil
		}
		return xorConn{c}, rt.NodeID(id), nil
	}
}

func TestConnHook(t *testing.T) {
	nets := cluster(t, 3, func(c *NetConfig) {
		lie := rt.NodeID("")
		if c.ID == "n3" {
			lie = "n9" // claims to have authenticated someone else
		}
		c.ConnHook = idHook(c.ID, lie)
	})
	got, err := call(nets[0], "n2", "echo", []byte("secret"))
	if err != nil || string(got) != "n2:secret" {
		t.Fatalf("call through the hook: got %q, %v", got, err)
	}
	_, err = call(nets[2], "n1", "echo", nil)
	wantErr(t, err, rt.ErrUnreachable)

	plain := startNet(t, testConfig("n4"))
	plain.AddPeer("n1", nets[0].Addr())
	_, err = call(plain, "n1", "echo", nil)
	wantErr(t, err, rt.ErrUnreachable)
}

// countConn counts the bytes written through it.
type countConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countConn) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return c.Conn.Write(p)
}

func TestWrapConn(t *testing.T) {
	var mu sync.Mutex
	wrapped := map[string]*atomic.Int64{}
	nets := cluster(t, 2, func(c *NetConfig) {
		c.WrapConn = func(nc net.Conn, from, to rt.NodeID) net.Conn {
			mu.Lock()
			defer mu.Unlock()
			k := fmt.Sprintf("%s->%s", from, to)
			if wrapped[k] == nil {
				wrapped[k] = new(atomic.Int64)
			}
			return countConn{nc, wrapped[k]}
		}
	})
	if _, err := call(nets[0], "n2", "echo", make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range []string{"n1->n2", "n2->n1"} {
		if wrapped[k] == nil || wrapped[k].Load() < 1000 {
			t.Errorf("link %s: wrapper missing or saw too few bytes (%v)", k, wrapped[k])
		}
	}
}

// TestCloseLeaksNothing closes nodes with calls and handlers in flight
// and checks that every goroutine they started is gone.
func TestCloseLeaksNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	var nets []*Net
	for i := range 3 {
		n, err := NewNet(testConfig(rt.NodeID(fmt.Sprintf("n%d", i+1))))
		if err != nil {
			t.Fatal(err)
		}
		serveEcho(n)
		n.Handle("block", func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})
		nets = append(nets, n)
	}
	for _, a := range nets {
		for _, b := range nets {
			if a != b {
				a.AddPeer(b.ID(), b.Addr())
			}
		}
	}
	var wg sync.WaitGroup
	for _, a := range nets {
		for _, b := range nets {
			if _, err := call(a, b.ID(), "echo", nil); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { a.Call(context.Background(), b.ID(), "block", nil, rt.CallOpts{Timeout: time.Minute}) })
		}
	}
	time.Sleep(50 * time.Millisecond) // let the blocking calls reach their handlers
	for _, n := range nets {
		n.Close()
	}
	wg.Wait()
	eventually(t, "goroutines back to the baseline", func() bool {
		return runtime.NumGoroutine() <= before
	})
	if _, err := call(nets[0], "n2", "echo", nil); !errors.Is(err, rt.ErrUnreachable) {
		t.Errorf("call on a closed net: got %v, want ErrUnreachable", err)
	}
}
