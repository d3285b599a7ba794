package layout

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
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
func applyNext(t testing.TB, h *History, ts Timestamp) {
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

// randHistory replays random operations on a fresh history: stagings of
// storage nodes, gateways, tags and removals, applies (some failing for
// want of nodes or zones, then reverted), tracker moves that sometimes
// complete a transition and retire versions, and a last staging left
// pending. It mostly uses few partitions, to stay fast.
func randHistory(t testing.TB, r *rand.Rand) *History {
	bits := r.IntN(5)
	if r.IntN(4) == 0 {
		bits = DefaultPartitionBits
	}
	h, err := NewHistory(1+r.IntN(3), bits)
	must(t, err)
	ids, ts := randIDs(r, 3+r.IntN(12)), Timestamp(1+r.IntN(100))
	for range 1 + r.IntN(6) {
		ts = randStage(r, h, ids, ts)
		if _, err := h.Apply(h.Current().Number+1, ts); err != nil {
			h.Revert(ts)
		}
		randTrack(r, h, ids)
	}
	randStage(r, h, ids, ts)
	return h
}

// randIDs returns n distinct node ids, short names and 64 hex digits.
func randIDs(r *rand.Rand, n int) []NodeID {
	ids := make([]NodeID, n)
	for i := range ids {
		ids[i] = NodeID(fmt.Sprintf("n%02d", i))
		if r.IntN(2) == 0 {
			ids[i] = hexID(r)
		}
	}
	return ids
}

// hexID returns a random id of 64 hex digits, the form of Garage's node
// ids (a public key).
func hexID(r *rand.Rand) NodeID {
	key := make([]byte, 32)
	for j := range key {
		key[j] = byte(r.Uint32())
	}
	return NodeID(hex.EncodeToString(key))
}

// randStage stages random changes from time ts and returns the next
// free time.
func randStage(r *rand.Rand, h *History, ids []NodeID, ts Timestamp) Timestamp {
	for range 1 + r.IntN(2*len(ids)) {
		id := ids[r.IntN(len(ids))]
		switch n := r.IntN(10); {
		case n < 6:
			_ = h.Assign(id, StorageRole(randZone(r), 1+r.Int64N(1e13), randTags(r)...), ts)
		case n < 8:
			_ = h.Assign(id, GatewayRole(randZone(r), randTags(r)...), ts)
		case n < 9:
			_ = h.Remove(id, ts) // fails for a node without a role
		default:
			_ = h.SetRedundancy(ZoneRedundancy(r.IntN(3)), ts) // may exceed RF
		}
		ts += Timestamp(r.IntN(2))
	}
	return ts + 1
}

// randZone returns one of four zones.
func randZone(r *rand.Rand) string { return fmt.Sprintf("dc%d", r.IntN(4)) }

// randTags returns up to three tags, repeats possible, often none.
func randTags(r *rand.Rand) []string {
	all := []string{"ssd", "hdd", "fast", "edge", "rack 1"}
	var out []string
	for range r.IntN(4) {
		out = append(out, all[r.IntN(len(all))])
	}
	return out
}

// randTrack moves trackers of random nodes (of the layout or not) to
// random live versions, and sometimes completes the transition.
func randTrack(r *rand.Rand, h *History, ids []NodeID) {
	if r.IntN(3) == 0 {
		finishTransition(h)
		return
	}
	lo, hi := h.MinStored(), h.Current().Number
	for range r.IntN(2 * len(ids)) {
		id, v := ids[r.IntN(len(ids))], lo+uint64(r.IntN(int(hi-lo)+1))
		[]func(NodeID, uint64) bool{h.Ack, h.Synced, h.SyncAcked}[r.IntN(3)](id, v)
	}
}
