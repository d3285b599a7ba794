package layout

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// threeZones returns a history with version 1 applied: n nodes over zones
// a, b, c, 1 TB each, RF 3.
func threeZones(t *testing.T, n int) *History {
	t.Helper()
	h, err := NewHistory(3, DefaultPartitionBits)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		id := NodeID(fmt.Sprintf("n%d", i))
		if err := h.Assign(id, StorageRole(string(rune('a'+i%3)), 1e12), 10); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Apply(1, 20); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestApplyFirstVersion(t *testing.T) {
	h := threeZones(t, 4)
	if got := len(h.Versions); got != 1 {
		t.Fatalf("live versions %d, want 1 (the empty version 0 is dropped)", got)
	}
	if h.InTransition() || h.ReadVersion().Number != 1 || h.HasChanges() {
		t.Fatalf("in transition %v, read version %d, changes %v", h.InTransition(), h.ReadVersion().Number, h.HasChanges())
	}
	if got := len(h.WriteSets(7)); got != 1 {
		t.Fatalf("write sets %d, want 1", got)
	}
}

func TestApplyWrongVersion(t *testing.T) {
	h := threeZones(t, 3)
	for _, n := range []uint64{0, 1, 3, 100} {
		if _, err := h.Apply(n, 30); !errors.Is(err, ErrWrongVersion) {
			t.Errorf("Apply(%d) = %v, want ErrWrongVersion", n, err)
		}
	}
}

func TestRemoveUnknownNode(t *testing.T) {
	h := threeZones(t, 3)
	if err := h.Remove("ghost", 30); !errors.Is(err, ErrUnknownNode) {
		t.Fatalf("got %v, want ErrUnknownNode", err)
	}
	if err := h.Assign("new", GatewayRole("a"), 30); err != nil {
		t.Fatal(err)
	}
	if err := h.Remove("new", 31); err != nil {
		t.Fatalf("removing a staged node: %v", err)
	}
	if err := h.Remove("new", 32); !errors.Is(err, ErrUnknownNode) {
		t.Fatalf("removing twice: got %v, want ErrUnknownNode", err)
	}
}

func TestRevert(t *testing.T) {
	h := threeZones(t, 3)
	before := h.StagedMembers()
	if err := h.Assign("n0", StorageRole("a", 5e12), 30); err != nil {
		t.Fatal(err)
	}
	if err := h.SetRedundancy(AtLeast(2), 30); err != nil {
		t.Fatal(err)
	}
	if !h.HasChanges() {
		t.Fatal("no changes after assign")
	}
	h.Revert(40)
	if h.HasChanges() || !slices.EqualFunc(before, h.StagedMembers(), memberEq) {
		t.Fatalf("changes survive revert: %v", h.StagedMembers())
	}
}

func memberEq(a, b Member) bool { return a.ID == b.ID && a.Role.Equal(b.Role) }

// TestTransition walks a transition from version 1 to 2 through its
// trackers and checks which versions are live and read at each step.
func TestTransition(t *testing.T) {
	h := threeZones(t, 4)
	must(t, h.Remove("n3", 30))
	must(t, h.Assign("n4", StorageRole("a", 1e12), 30))
	must(t, h.Assign("gw", GatewayRole("a"), 30))
	if _, err := h.Apply(2, 40); err != nil {
		t.Fatal(err)
	}
	step := func(what string, wantLive []uint64, wantRead uint64) {
		t.Helper()
		var live []uint64
		for _, v := range h.Versions {
			live = append(live, v.Number)
		}
		if !slices.Equal(live, wantLive) || h.ReadVersion().Number != wantRead {
			t.Fatalf("%s: live %v read %d, want %v read %d", what, live, h.ReadVersion().Number, wantLive, wantRead)
		}
	}
	step("applied", []uint64{1, 2}, 1)
	if got := len(h.WriteSets(0)); got != 2 {
		t.Fatalf("write sets %d, want 2", got)
	}
	all := h.AllNodes()
	if !slices.Equal(all, []NodeID{"gw", "n0", "n1", "n2", "n3", "n4"}) {
		t.Fatalf("all nodes %v", all)
	}
	for _, n := range all[1:] {
		h.Ack(n, 2)
	}
	if _, ok := h.SyncTarget(); ok {
		t.Fatal("sync may start before the gateway acked")
	}
	h.Ack("gw", 2)
	if v, ok := h.SyncTarget(); !ok || v != 2 {
		t.Fatalf("sync target %d %v, want 2 true", v, ok)
	}
	for _, n := range h.StorageNodes() {
		h.Synced(n, 2)
	}
	step("synced", []uint64{1, 2}, 2)
	for _, n := range h.StorageNodes()[:3] {
		h.SyncAcked(n, 2)
	}
	step("partly sync-acked", []uint64{1, 2}, 2)
	h.SyncAcked("n4", 2)
	if h.RetireBelow() != 1 {
		t.Fatalf("retire below %d before the removed node sync-acked", h.RetireBelow())
	}
	h.SyncAcked("n3", 2)
	step("retired", []uint64{2}, 2)
	if len(h.Old) != 1 || h.Old[0].Number != 1 {
		t.Fatalf("old versions %v", h.Old)
	}
}

func TestSkipDeadNodes(t *testing.T) {
	h := threeZones(t, 4)
	must(t, h.Remove("n3", 30))
	if _, err := h.Apply(2, 40); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SkipDeadNodes(1, []NodeID{"n3"}, false); !errors.Is(err, ErrWrongVersion) {
		t.Fatalf("skipping to a retired version: %v", err)
	}
	for _, n := range []NodeID{"n0", "n1", "n2"} {
		h.Ack(n, 2)
		h.Synced(n, 2)
		h.SyncAcked(n, 2)
	}
	if !h.InTransition() {
		t.Fatal("transition ended without the dead node")
	}
	if _, err := h.SkipDeadNodes(2, []NodeID{"n3"}, false); err != nil {
		t.Fatal(err)
	}
	if h.SyncMin() != 1 {
		t.Fatalf("sync min %d: the dead node's data was not declared lost", h.SyncMin())
	}
	if _, err := h.SkipDeadNodes(2, []NodeID{"n3"}, true); err != nil {
		t.Fatal(err)
	}
	if h.InTransition() || h.ReadVersion().Number != 2 {
		t.Fatalf("live %d versions, read %d", len(h.Versions), h.ReadVersion().Number)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCheckShapes checks that Check rejects a malformed version wherever
// it sits: retired, or the empty version 0 that Check does not require to
// be valid.
func TestCheckShapes(t *testing.T) {
	h := threeZones(t, 3)
	must(t, h.Assign("n3", StorageRole("a", 1e12), 30))
	applyNext(t, h, 31)
	completeTransition(t, h)
	must(t, h.Check())
	tests := map[string]func(h *History){
		"retired ring index":   func(h *History) { h.Old[0].Ring[0] = 9 },
		"retired members":      func(h *History) { h.Old[0].Members[0], h.Old[0].Members[1] = h.Old[0].Members[1], h.Old[0].Members[0] },
		"retired storage":      func(h *History) { h.Old[0].Storage = nil },
		"ring of version 0":    func(h *History) { h.Versions = []Version{{Params: h.Current().Params, Ring: []uint16{0}}} },
		"unsorted staged role": func(h *History) { h.Staging.Roles = []StagedRole{{Node: "b"}, {Node: "a"}} },
	}
	for name, tamper := range tests {
		c := h.Clone()
		tamper(c)
		if err := c.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTrackerMinimaMatchTheNodeLists checks the allocation-free minima
// against MinAmong over the node lists they stand for, on random histories.
func TestTrackerMinimaMatchTheNodeLists(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 100 {
		h := randHistory(t, r)
		floor := h.MinStored()
		for _, tc := range []struct {
			name      string
			got, want uint64
		}{
			{"AckMin", h.AckMin(), h.Trackers.Ack.MinAmong(h.AllNodes(), floor)},
			{"SyncMin", h.SyncMin(), h.Trackers.Sync.MinAmong(h.StorageNodes(), floor)},
			{"SyncAckMin", h.SyncAckMin(), h.Trackers.SyncAck.MinAmong(h.StorageNodes(), floor)},
		} {
			if tc.got != tc.want {
				t.Fatalf("%s = %d, want %d", tc.name, tc.got, tc.want)
			}
		}
	}
}
