package cluster

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// knows reports whether c has id among its peers.
func knows(c *Cluster, id rt.NodeID) bool {
	return slices.ContainsFunc(c.Peers(), func(p PeerInfo) bool { return p.ID == id })
}

// TestForgetPeersGoneForLong: a node outside the layout that stays down
// for ForgetAfter is forgotten everywhere, also from the persisted list,
// and is not brought back by gossip; a node of the layout that is down as
// long is kept; a forgotten node that boots again is a peer again.
func TestForgetPeersGoneForLong(t *testing.T) {
	h := newHarness(t, 80, 6, func(c *Config) { c.ForgetAfter = time.Minute })
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n1"]
	h.do(func(context.Context) { stageAndApply(t, c, []rt.NodeID{"n1", "n2", "n3", "n4", "n5"}, nil) })
	h.crash("n6")
	h.crash("n5")
	h.run(30 * time.Second)
	if !h.all(func(c *Cluster) bool { return knows(c, "n6") }) {
		t.Fatal("n6 forgotten before ForgetAfter")
	}
	h.until("n6 forgotten", 2*time.Minute, func() bool {
		return h.all(func(c *Cluster) bool { return !knows(c, "n6") })
	})
	h.run(2 * time.Minute)
	for _, c := range h.up() {
		if knows(c, "n6") || !knows(c, "n5") {
			t.Errorf("%s: knows n6 %v (want false), n5 %v (want true: in the layout)", c.ID(), knows(c, "n6"), knows(c, "n5"))
		}
	}
	h.cfg.Bootstrap = nil
	h.restart("n2")
	h.run(time.Millisecond)
	if knows(h.cs["n2"], "n6") {
		t.Error("n6 still in n2's persisted peer list")
	}
	h.restart("n6")
	h.until("n6 back", 30*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return c.ID() == "n6" || c.isUp("n6") })
	})
}

func TestForgetByHand(t *testing.T) {
	h := newHarness(t, 81, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n1"]
	h.do(func(context.Context) { stageAndApply(t, c, []rt.NodeID{"n1", "n2", "n3"}, nil) })
	h.crash("n5")
	h.until("n5 down on n1", 30*time.Second, func() bool { return !c.isUp("n5") })
	for _, tc := range []struct {
		id   rt.NodeID
		want error
	}{{"n2", ErrInLayout}, {"n4", ErrPeerUp}, {"n9", ErrUnknownPeer}} {
		if err := c.Forget(tc.id); !errors.Is(err, tc.want) {
			t.Errorf("Forget(%s) = %v, want %v", tc.id, err, tc.want)
		}
	}
	if err := c.Forget("n5"); err != nil {
		t.Fatalf("Forget(n5): %v", err)
	}
	h.until("n5 forgotten everywhere", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return !knows(c, "n5") })
	})
	h.run(time.Minute)
	if got := h.cs["n4"].Peers(); len(got) != 3 {
		t.Errorf("n4's peers after forgetting n5 = %v, want 3", got)
	}
}

// TestShortIsolationIsRefuted isolates a node for less than a suspicion
// lasts: suspected, it refutes with a new incarnation once it hears of it,
// and no node ever counts it down.
func TestShortIsolationIsRefuted(t *testing.T) {
	h := newHarness(t, 82, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	inc := h.cs["n3"].inc
	cut := h.w.Network().IsolateNode("n3")
	sawDown := false
	watch := func() bool {
		sawDown = sawDown || !h.all(func(c *Cluster) bool { return c.isUp("n3") })
		return false
	}
	h.w.RunUntil(watch, 2500*time.Millisecond) // never holds: runs the isolation
	h.w.Network().Heal(cut)
	h.w.RunUntil(watch, 15*time.Second)
	if sawDown {
		t.Error("a node counted n3 down after a short isolation")
	}
	if h.cs["n3"].inc <= inc {
		t.Errorf("n3's incarnation %d, was %d: the suspicion was never refuted (or never raised)", h.cs["n3"].inc, inc)
	}
	h.until("n3 alive everywhere", 10*time.Second, func() bool {
		return h.all(func(c *Cluster) bool { return c.ID() == "n3" || c.peerState("n3") == StateAlive })
	})
}

// peerState returns c's belief about id's state.
func (c *Cluster) peerState(id rt.NodeID) MemberState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.peers[id]; p != nil {
		return p.live.State
	}
	return StateUnknown
}
