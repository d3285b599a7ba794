package layout

import (
	"fmt"
	"testing"
)

// completeTransition acks, syncs and sync-acks the current version on
// every node of a live version, retiring the older ones.
func completeTransition(t testing.TB, h *History) {
	t.Helper()
	finishTransition(h)
	if h.InTransition() {
		t.Fatalf("version %d: still %d live versions", h.Current().Number, len(h.Versions))
	}
}

// finishTransition acks, syncs and sync-acks the current version on every
// node of a live version.
func finishTransition(h *History) {
	v := h.Current().Number
	for _, n := range h.AllNodes() {
		h.Ack(n, v)
	}
	for _, n := range h.StorageNodes() {
		h.Synced(n, v)
	}
	for _, n := range h.StorageNodes() {
		h.SyncAcked(n, v)
	}
}

func swap(t *testing.T, h *History, out, in []NodeID, ts Timestamp) {
	t.Helper()
	for i := range out {
		must(t, h.Remove(out[i], ts))
		must(t, h.Assign(in[i], StorageRole(string(rune('a'+i%3)), 1e12), ts))
	}
	if _, err := h.Apply(h.Current().Number+1, ts+1); err != nil {
		t.Fatal(err)
	}
}

// TestRejoinedNodeDoesNotMoveReads is the regression test of a bug found
// by the layout nemesis: a node that left the layout keeps its old
// trackers; when it comes back they lie below every live version, and if
// they counted as they are, SyncMin would fall below the oldest live
// version and reads would jump to the brand-new, unsynced version. Like
// Garage's tracker clamping, a tracker below the oldest live version
// counts as that version.
func TestRejoinedNodeDoesNotMoveReads(t *testing.T) {
	h := threeZones(t, 3) // v1: n0 n1 n2
	completeTransition(t, h)
	first := []NodeID{"n0", "n1", "n2"}
	second := []NodeID{"n3", "n4", "n5"}
	swap(t, h, first, second, 30) // v2: n3 n4 n5
	completeTransition(t, h)
	must(t, h.Assign("n3", StorageRole("a", 2e12), 50)) // v3: a capacity change
	if _, err := h.Apply(3, 51); err != nil {
		t.Fatal(err)
	}
	completeTransition(t, h)
	swap(t, h, second, first, 60) // v4: n0 n1 n2 again, their trackers still at 2
	if got, want := fmt.Sprint(h.MinStored(), h.Current().Number), "3 4"; got != want {
		t.Fatalf("live versions %s, want %s", got, want)
	}
	if sm := h.SyncMin(); sm != 3 {
		t.Errorf("SyncMin = %d, want 3: a rejoined node's stale tracker dragged it below the oldest live version", sm)
	}
	if rv := h.ReadVersion().Number; rv != 3 {
		t.Errorf("reads use version %d, want 3 (the synced one), not the new unsynced one", rv)
	}
	if _, ok := h.SyncTarget(); ok {
		t.Error("sync may start before the rejoined nodes acked version 4")
	}
}
