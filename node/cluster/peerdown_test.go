package cluster

import (
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// stateOf returns what the node of c believes of id.
func stateOf(c *Cluster, id rt.NodeID) MemberState {
	for _, n := range c.Status() {
		if n.ID == id {
			return n.State
		}
	}
	return StateUnknown
}

// TestPeerDownProbesAtOnce crashes a node of a meshed cluster with a long
// probe interval and tells another node that its connection to it closed:
// that node suspects the crashed one within a few ping timeouts, long
// before the crashed node's turn in a probe round would come, while a
// PeerDown about a live node changes nothing.
func TestPeerDownProbesAtOnce(t *testing.T) {
	h := newHarness(t, 3, 5, func(c *Config) { c.PingInterval = time.Minute })
	h.until("full mesh", 10*time.Minute, h.meshed)
	n1 := h.cs["n1"]
	n1.PeerDown("n4") // alive: the probe succeeds
	h.run(5 * time.Second)
	if got := stateOf(n1, "n4"); got != StateAlive {
		t.Fatalf("a live peer after PeerDown: %v, want alive", got)
	}
	h.crash("n5")
	start := h.w.Now()
	n1.PeerDown("n5")
	h.until("n1 suspects n5", 10*time.Second, func() bool { return stateOf(h.cs["n1"], "n5") != StateAlive })
	if took := h.w.Now() - start; took > 5*time.Second {
		t.Errorf("suspected %v after the connection closed, want within a few ping timeouts", took)
	}
}
