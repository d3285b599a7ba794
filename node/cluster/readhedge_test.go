package cluster

import (
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// TestReadHedgeAndDownLast checks the read side of the sharded placement
// on n1 (zone mate n4 at 0.5 ms, the others at 100 ms): the hedge is twice
// the slowest RTT estimate of the nodes asked first (at least
// readHedgeMin), none before an estimate exists, and a node the failure
// detector counts down is read last.
func TestReadHedgeAndDownLast(t *testing.T) {
	h := newHarness(t, 22, 5, func(c *Config) { c.AutoSync = true })
	h.until("full mesh", 30*time.Second, h.meshed)
	c := h.cs["n1"]
	repl := Sharded(c, table.Consistent).(table.ReadHedger)
	h.assignAll()
	if d := repl.ReadHedge([]rt.NodeID{"n1", "n9"}); d != 0 {
		t.Errorf("hedge with an unknown node = %v, want 0 (ask every node at once)", d)
	}
	h.run(30 * time.Second) // RTT samples
	if d := repl.ReadHedge([]rt.NodeID{"n1", "n4"}); d != readHedgeMin {
		t.Errorf("hedge for n1 and its zone mate = %v, want the %v floor", d, readHedgeMin)
	}
	if d := repl.ReadHedge([]rt.NodeID{"n4", "n2"}); d < 2*80*time.Millisecond || d > 2*120*time.Millisecond {
		t.Errorf("hedge for n4 and n2 (100 ms away) = %v, want about 200 ms", d)
	}

	h.crash("n4")
	h.until("n4 counted down", time.Minute, func() bool { return !c.IsUp("n4") })
	for i := range 200 {
		key := []byte{byte(i), 'k'}
		got := Sharded(c, table.Consistent).ReadNodes(key)
		if j := slices.Index(got, "n4"); j >= 0 && j != len(got)-1 {
			t.Fatalf("ReadNodes = %v: n4 is down and should come last", got)
		}
	}
}

// TestLayoutChangedFires checks that the event LayoutChanged returns is
// set by the next change of the history, and only then.
func TestLayoutChangedFires(t *testing.T) {
	h := newHarness(t, 23, 3, nil)
	h.until("full mesh", 30*time.Second, h.meshed)
	h.run(30 * time.Second) // the empty histories spread first
	var evs []rt.Event
	for _, c := range h.up() {
		evs = append(evs, c.LayoutChanged())
	}
	h.run(5 * time.Second)
	for i, ev := range evs {
		if ev.IsSet() {
			t.Fatalf("node %d: layout event set without a change", i+1)
		}
	}
	h.assignAll()
	for i, ev := range evs {
		if !ev.IsSet() {
			t.Errorf("node %d: layout event not set by the new version", i+1)
		}
	}
	if c := h.cs["n1"]; c.LayoutChanged() == evs[0] {
		t.Errorf("LayoutChanged returns the event already set")
	}
}
