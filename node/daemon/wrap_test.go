package daemon

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// TestWrapConnSeesPeerLinks checks that Config.WrapConn reaches the real
// ports: a client's status call goes over a connection the daemon wrapped,
// named from the daemon to the client.
func TestWrapConnSeesPeerLinks(t *testing.T) {
	secret := testSecret(7)
	cfg := testConfig(t, t.TempDir(), secret)
	var mu sync.Mutex
	var links [][2]rt.NodeID
	cfg.WrapConn = func(c net.Conn, from, to rt.NodeID) net.Conn {
		mu.Lock()
		defer mu.Unlock()
		links = append(links, [2]rt.NodeID{from, to})
		return c
	}
	d := startDaemon(t, cfg)
	cl := dialDaemon(t, d, secret)
	if _, err := cl.Status(context.Background()); err != nil {
		t.Fatalf("status: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(links) == 0 {
		t.Fatal("WrapConn was never called")
	}
	if got := links[0][0]; got != d.ID() {
		t.Errorf("wrapped link from %s, want the daemon %s", got, d.ID())
	}
}
