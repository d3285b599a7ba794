package host

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

var long = flag.Bool("long", false, "run the longer measurements")

// testConfig is a fast-redialling loopback configuration.
func testConfig(id rt.NodeID) NetConfig {
	return NetConfig{ID: id, Listen: "127.0.0.1:0", RedialMin: 20 * time.Millisecond,
		RedialMax: 100 * time.Millisecond, HandshakeTimeout: 2 * time.Second}
}

// startNet starts a Net closed at the end of the test.
func startNet(t testing.TB, cfg NetConfig) *Net {
	t.Helper()
	n, err := NewNet(cfg)
	if err != nil {
		t.Fatalf("start %s: %v", cfg.ID, err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// cluster starts k nodes n1..nk that know each other and serve "echo",
// which replies "<node>:<request>".
func cluster(t testing.TB, k int, mod func(*NetConfig)) []*Net {
	t.Helper()
	nets := make([]*Net, k)
	for i := range nets {
		cfg := testConfig(rt.NodeID(fmt.Sprintf("n%d", i+1)))
		if mod != nil {
			mod(&cfg)
		}
		nets[i] = startNet(t, cfg)
		serveEcho(nets[i])
	}
	for _, a := range nets {
		for _, b := range nets {
			if a != b {
				a.AddPeer(b.ID(), b.Addr())
			}
		}
	}
	return nets
}

func serveEcho(n *Net) {
	n.Handle("echo", func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
		return append([]byte(n.ID()+":"), req...), nil
	})
}

// call is Net.Call with default options and a background context.
func call(n *Net, to rt.NodeID, ep string, req []byte) ([]byte, error) {
	return n.Call(context.Background(), to, ep, req, rt.CallOpts{Timeout: 5 * time.Second})
}

// eventually polls cond every few milliseconds for up to 10 s: a bound on
// progress, not a timing assertion.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// connCount returns how many connections n holds to peer, and whether one
// of them is active.
func connCount(n *Net, peer rt.NodeID) (int, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.peers[peer]
	if p == nil {
		return 0, false
	}
	return len(p.conns), p.active != nil
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
