package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestFullMeshFromOneBootstrapPeer(t *testing.T) {
	h := newHarness(t, 1, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	t.Logf("full mesh after %v virtual", h.w.Now())
	for _, c := range h.up() {
		for _, p := range c.Peers() {
			if want := string(p.ID) + ":3901"; p.Addr != want {
				t.Errorf("%s knows %s at %q, want %q", c.ID(), p.ID, p.Addr, want)
			}
		}
	}
	st := h.cs["n2"].Status()
	if len(st) != 5 || !st[1].Self || st[0].Hostname != "host-n1" {
		t.Errorf("status of n2 = %+v", st)
	}
}

func TestRTTEstimatesMatchNetwork(t *testing.T) {
	h := newHarness(t, 2, 5, nil)
	h.run(60 * time.Second)
	net := h.w.Network()
	for _, a := range h.ids {
		for _, info := range h.cs[a].Status() {
			if info.Self {
				continue
			}
			want := net.RTT(string(a), string(info.ID))
			if d := info.RTT - want; d > want/10+time.Millisecond || -d > want/10+time.Millisecond {
				t.Errorf("RTT %s->%s = %v, netem RTT %v", a, info.ID, info.RTT, want)
			}
		}
	}
}

func TestCrashedNodeDetectedDownThenUp(t *testing.T) {
	h := newHarness(t, 3, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	isUp := func(from, of rt.NodeID) bool {
		for _, info := range h.cs[from].Status() {
			if info.ID == of {
				return info.Up
			}
		}
		return false
	}
	h.crash("n3")
	crashed := h.w.Now()
	h.until("n3 down on n1", 20*time.Second, func() bool { return !isUp("n1", "n3") })
	// Every node probes n3 once per round of 4 intervals (±10 %): a probe
	// comes within two rounds, fails (direct, then indirect), and the
	// suspicion lasts FailAfter intervals; then the rumor needs a gossip
	// round or two.
	probe := 2 * 4 * 1100 * time.Millisecond
	bound := probe + 3*500*time.Millisecond + SuspicionTimeout(3, time.Second, 5) + time.Second
	t.Logf("n3 down on n1 after %v (bound %v)", h.w.Now()-crashed, bound)
	if h.w.Now()-crashed > bound {
		t.Errorf("down detected after %v, want at most %v", h.w.Now()-crashed, bound)
	}
	h.until("n3 down everywhere", 10*time.Second, func() bool {
		return !isUp("n2", "n3") && !isUp("n4", "n3") && !isUp("n5", "n3")
	})
	h.restart("n3")
	h.until("n3 up again", 10*time.Second, h.meshed)
}

func TestPeerListPersisted(t *testing.T) {
	h := newHarness(t, 4, 5, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.cfg.Bootstrap = nil
	h.restart("n5")
	h.run(time.Millisecond)
	if got := h.cs["n5"].Peers(); len(got) != 4 {
		t.Fatalf("after restart n5 knows %v, want 4 peers", got)
	}
	h.until("mesh after restart", 10*time.Second, h.meshed)
}

func TestManualConnect(t *testing.T) {
	h := newHarness(t, 12, 3, func(c *Config) { c.Bootstrap = nil })
	h.run(5 * time.Second)
	if h.meshed() {
		t.Fatal("nodes without bootstrap peers meshed on their own")
	}
	h.do(func(ctx context.Context) {
		if err := h.cs["n2"].Connect(ctx, "n1", "n1:3901"); err != nil {
			t.Error(err)
		}
		if err := h.cs["n3"].Connect(ctx, "n2", "n2:3901"); err != nil {
			t.Error(err)
		}
		if err := h.cs["n3"].Connect(ctx, "n9", "n9:3901"); err == nil {
			t.Error("Connect to a node that does not exist succeeded")
		}
	})
	h.until("full mesh", 10*time.Second, h.meshed)
}
