package layout

import (
	"fmt"
	"slices"
	"testing"
)

// goldenHistory builds, deterministically, a history holding every part
// the codec encodes: a retired version, three live versions, gateways,
// tags, trackers at different versions, staged roles (one a removal) and a
// staged zone redundancy. It uses 16 partitions to keep golden files small.
func goldenHistory(t *testing.T) *History {
	t.Helper()
	h, err := NewHistory(3, 4)
	must(t, err)
	for i, zone := range []string{"a", "b", "c", "a", "b", "c"} {
		must(t, h.Assign(NodeID(fmt.Sprintf("n%d", i)), StorageRole(zone, int64(i+1)*1e12), 10))
	}
	must(t, h.Assign("gw", GatewayRole("a", "edge", "public"), 10))
	applyNext(t, h, 20)
	must(t, h.Assign("n6", StorageRole("c", 3e12, "ssd", "fast"), 30))
	applyNext(t, h, 31)
	completeTransition(t, h)
	must(t, h.Remove("n0", 40))
	applyNext(t, h, 41)
	must(t, h.SetRedundancy(AtLeast(2), 50))
	applyNext(t, h, 51)
	h.Ack("n1", 4)
	h.Ack("gw", 3)
	h.Synced("n2", 3)
	h.SyncAcked("n3", 3)
	must(t, h.Assign("n7", StorageRole("b", 5e12, "hdd"), 60))
	must(t, h.Remove("n1", 61))
	must(t, h.Assign("gw2", GatewayRole("b"), 62))
	must(t, h.SetRedundancy(Maximum, 63))
	return h
}

// applyNext applies the staged changes as the next version at ts.
func applyNext(t *testing.T, h *History, ts Timestamp) {
	t.Helper()
	if _, err := h.Apply(h.Current().Number+1, ts); err != nil {
		t.Fatal(err)
	}
}

// sameHistory reports whether a and b are equal including their retired
// versions, which Equal leaves out but the codec carries.
func sameHistory(a, b *History) bool {
	eqv := func(x, y Version) bool { return x.Equal(&y) }
	return a.Equal(b) && slices.EqualFunc(a.Old, b.Old, eqv)
}
