package host

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// forceDial makes n dial peer even though a connection exists, as happens
// when both ends dial at once.
func forceDial(n *Net, peer rt.NodeID) {
	n.mu.Lock()
	p := n.peers[peer]
	p.dialing = true
	n.wg.Add(1)
	go n.dial(peer, p.addr)
	n.mu.Unlock()
}

// activeInitiatedBy reports whether n's active connection to peer was
// dialled by n.
func activeInitiatedBy(n *Net, peer rt.NodeID) (dialledByN, ok bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if a := n.peers[peer].active; a != nil {
		return a.initiator, true
	}
	return false, false
}

// TestSecondConnectionDrainsFirst opens a second connection while calls
// are in flight on the first, in both directions: the decider (n1) must
// switch to the one n2 dialled, and the first must close only after every
// call on it has been answered.
func TestSecondConnectionDrainsFirst(t *testing.T) {
	nets := cluster(t, 2, nil)
	n1, n2 := nets[0], nets[1]
	release := make(chan struct{})
	var started atomic.Int32
	for _, n := range nets {
		n.Handle("slow", func(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			started.Add(1)
			select {
			case <-release:
				return req, nil
			case <-ctx.Done(): // lets Close finish if the test fails early
				return nil, ctx.Err()
			}
		})
	}
	if _, err := call(n1, "n2", "echo", nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "n2 accepts the connection n1 dialled", func() bool {
		_, ok := activeInitiatedBy(n2, "n1")
		return ok
	})
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		from, to := nets[i%2], nets[1-i%2]
		wg.Go(func() {
			got, err := call(from, to.ID(), "slow", []byte("in flight"))
			if err == nil && string(got) != "in flight" {
				err = fmt.Errorf("got %q", got)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	eventually(t, "all slow handlers running", func() bool { return started.Load() == 10 })
	forceDial(n2, "n1")
	eventually(t, "both ends switch to the connection n2 dialled", func() bool {
		d1, ok1 := activeInitiatedBy(n1, "n2")
		d2, ok2 := activeInitiatedBy(n2, "n1")
		return ok1 && ok2 && !d1 && d2
	})
	if k, _ := connCount(n1, "n2"); k != 2 {
		t.Fatalf("n1 holds %d connections while the old one drains, want 2", k)
	}
	if got, err := call(n1, "n2", "echo", []byte("new")); err != nil || string(got) != "n2:new" {
		t.Fatalf("call on the new connection: %q, %v", got, err)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("call in flight during the switch: %v", err)
	}
	for _, n := range nets {
		other := nets[0].ID()
		if n == n1 {
			other = "n2"
		}
		eventually(t, "old connection closes once drained", func() bool {
			k, active := connCount(n, other)
			return k == 1 && active
		})
	}
}

// TestRedialBackoff checks that a failed dial makes the next calls fail
// fast until the backoff has passed.
func TestRedialBackoff(t *testing.T) {
	cfg := testConfig("n1")
	cfg.RedialMin = time.Hour
	n := startNet(t, cfg)
	n.AddPeer("n2", "127.0.0.1:1")
	_, err := call(n, "n2", "echo", nil)
	wantErr(t, err, rt.ErrUnreachable)
	_, err = call(n, "n2", "echo", nil)
	wantErr(t, err, rt.ErrUnreachable)
	if !strings.Contains(err.Error(), "backoff") {
		t.Errorf("second call: got %v, want a backoff error", err)
	}
	n.AddPeer("n2", "127.0.0.1:2") // a new address resets the backoff
	_, err = call(n, "n2", "echo", nil)
	if err == nil || strings.Contains(err.Error(), "backoff") {
		t.Errorf("call after an address change: got %v, want a fresh dial failure", err)
	}
}
