package host

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestCallStats(t *testing.T) {
	nets := cluster(t, 2, nil)
	ctx := context.Background()
	for range 3 {
		if _, err := nets[0].Call(ctx, "n2", "echo", []byte("x"), rt.CallOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	nets[0].Call(ctx, "n2", "nothing-here", nil, rt.CallOpts{})
	done := make(chan struct{})
	nets[0].Start("n2", "echo", nil, rt.CallOpts{}, func([]byte, error) { close(done) })
	<-done
	got := map[string]CallStat{}
	for _, st := range nets[0].CallStats() {
		got[string(st.To)+" "+st.Endpoint] = st
	}
	echo, missing := got["n2 echo"], got["n2 nothing-here"]
	if echo.Calls != 4 || echo.Errors != 0 || echo.Counts[len(echo.Counts)-1] != 4 || echo.Sum <= 0 {
		t.Errorf("echo: got %+v, want 4 calls (one started), none failed, all in the last bucket", echo)
	}
	if missing.Calls != 1 || missing.Errors != 1 {
		t.Errorf("call without handler: got %+v, want 1 call, 1 error", missing)
	}
}

// TestPeerClosed checks that a peer's lost connection is reported at
// once, and a drain or this Net's own Close is not.
func TestPeerClosed(t *testing.T) {
	var mu sync.Mutex
	var lost []rt.NodeID
	nets := cluster(t, 2, func(c *NetConfig) {
		c.PeerClosed = func(id rt.NodeID, err error) {
			mu.Lock()
			defer mu.Unlock()
			lost = append(lost, id)
		}
	})
	if _, err := nets[0].Call(context.Background(), "n2", "echo", nil, rt.CallOpts{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	nets[1].Close() // n2 goes away: n1 must hear of it
	for {
		mu.Lock()
		n := len(lost)
		mu.Unlock()
		if n > 0 || time.Since(start) > 5*time.Second {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lost) != 1 || lost[0] != "n2" {
		t.Fatalf("peers reported closed: %v, want n2 (n2's own Close reports nothing)", lost)
	}
	t.Logf("reported after %v", time.Since(start))
}

// TestRejectedHandshakeLogged checks that a connection that fails its
// handshake is logged as a warning naming where it came from.
func TestRejectedHandshakeLogged(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	cfg := testConfig("n1")
	cfg.Log = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	cfg.ConnHook = func(c net.Conn, _ bool) (net.Conn, rt.NodeID, error) {
		return nil, "", errForTest
	}
	n := startNet(t, cfg)
	c, err := net.Dial("tcp", n.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		s := logs.String()
		mu.Unlock()
		if strings.Contains(s, "level=WARN") && strings.Contains(s, "rejected a connection") && strings.Contains(s, "remote=127.0.0.1:") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("no warning of the rejected handshake in %q", logs.String())
}

var errForTest = errorString("wrong secret (test)")

type errorString string

func (e errorString) Error() string { return string(e) }

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
