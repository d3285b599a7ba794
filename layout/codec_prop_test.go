package layout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCodecRandomRoundTrip checks on random histories that decoding
// inverts encoding, that re-encoding gives the same bytes, and that the
// Format 1 encoding of the same history decodes to it too.
func TestCodecRandomRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	stats := map[string]int{}
	for it := range iterations(60, 600) {
		h := randHistory(t, r)
		countShapes(stats, h)
		b, err := h.Encode()
		if err != nil {
			t.Fatalf("case %d: %v", it, err)
		}
		checkDecodes(t, fmt.Sprintf("case %d", it), b, h, b)
		j, err := json.Marshal(envelope{Format: formatJSON, History: h})
		must(t, err)
		checkDecodes(t, fmt.Sprintf("case %d, Format 1", it), j, h, b)
	}
	for _, k := range []string{"old", "transition", "gateway", "tags", "staged", "removal", "hex id", "trackers"} {
		if stats[k] == 0 {
			t.Errorf("no random history had %s", k)
		}
	}
}

// checkDecodes fails t unless b decodes to want and re-encodes to enc.
func checkDecodes(t *testing.T, name string, b []byte, want *History, enc []byte) {
	t.Helper()
	got, err := DecodeHistory(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !sameHistory(got, want) {
		t.Fatalf("%s: decoded history differs", name)
	}
	if again, err := got.Encode(); err != nil || !bytes.Equal(again, enc) {
		t.Fatalf("%s: re-encoding differs (%v)", name, err)
	}
}

// countShapes counts the features of h that the round trip must cover.
func countShapes(stats map[string]int, h *History) {
	has := map[string]bool{
		"old": len(h.Old) > 0, "transition": h.InTransition(), "staged": len(h.Staging.Roles) > 0,
		"trackers": len(h.Trackers.SyncAck) > 0,
	}
	for _, m := range h.Current().Members {
		has["gateway"] = has["gateway"] || m.Role.Gateway
		has["tags"] = has["tags"] || len(m.Role.Tags) > 0
		has["hex id"] = has["hex id"] || len(m.ID) == 64
	}
	for _, s := range h.Staging.Roles {
		has["removal"] = has["removal"] || s.Remove
	}
	for k, v := range has {
		if v {
			stats[k]++
		}
	}
}

// TestEncodeCanonical builds equal histories in different ways and checks
// that they encode to the same bytes.
func TestEncodeCanonical(t *testing.T) {
	base := threeZones(t, 3)
	x, y := StorageRole("a", 2e12, "ssd"), Role{Zone: "b", Gateway: true, Tags: []string{}}
	a := base.Clone()
	must(t, a.Assign("x", x, 30))
	must(t, a.Assign("y", GatewayRole("b"), 30))
	must(t, a.SetRedundancy(AtLeast(2), 30))
	a.Ack("n2", 1)
	a.Synced("n0", 1)
	b := base.Clone() // the other order; tags empty, not nil; an empty, non-nil tracker
	b.Trackers.SyncAck = Tracker{}
	must(t, b.SetRedundancy(AtLeast(2), 30))
	b.Synced("n0", 1)
	must(t, b.Assign("y", y, 30))
	b.Ack("n2", 1)
	must(t, b.Assign("x", x, 30))
	c, d := base.Clone(), base.Clone() // two replicas, merged
	must(t, c.Assign("x", x, 30))
	c.Ack("n2", 1)
	must(t, d.Assign("y", y, 30))
	must(t, d.SetRedundancy(AtLeast(2), 30))
	d.Synced("n0", 1)
	if _, err := c.Merge(d); err != nil {
		t.Fatal(err)
	}
	want, err := a.Encode()
	must(t, err)
	for name, h := range map[string]*History{"reordered": b, "merged": c} {
		if got, err := h.Encode(); err != nil || !sameHistory(h, a) || !bytes.Equal(got, want) {
			t.Errorf("%s: equal %v, encoding\n%x\nwant\n%x (%v)", name, sameHistory(h, a), got, want, err)
		}
	}
}

// TestCodecWideRing round-trips a version with more than 256 storage
// nodes, whose ring indexes take two bytes.
func TestCodecWideRing(t *testing.T) {
	h, err := NewHistory(3, 2)
	must(t, err)
	for i := range 300 {
		must(t, h.Assign(NodeID(fmt.Sprintf("n%03d", i)), StorageRole(fmt.Sprintf("z%d", i%3), 1e12), 1))
	}
	must(t, h.Assign("n299", StorageRole("z2", 9e12), 1)) // so that n299 (index 299) holds data
	applyNext(t, h, 2)
	b, err := h.Encode()
	must(t, err)
	checkDecodes(t, "wide ring", b, h, b)
	got := h.Current().Ring
	if slices.Max(got) < 1<<8 {
		t.Fatalf("ring %v: no index needs two bytes", got)
	}
	if !bytes.Contains(b, ringBytes(got)) {
		t.Fatalf("ring %v not packed as two bytes big-endian", got)
	}
}

// ringBytes packs ring as two bytes big-endian per index.
func ringBytes(ring []uint16) []byte {
	var out []byte
	for _, x := range ring {
		out = append(out, byte(x>>8), byte(x))
	}
	return out
}

// TestVersionCodec round-trips versions alone, Format 2 and Format 1, and
// rejects a history given to DecodeVersion.
func TestVersionCodec(t *testing.T) {
	h := goldenHistory(t)
	for _, v := range append([]Version{Empty(DefaultParams(3))}, h.Versions...) {
		b, err := v.Encode()
		must(t, err)
		j, err := json.Marshal(envelope{Format: formatJSON, Version: &v})
		must(t, err)
		for _, in := range [][]byte{b, j} {
			got, err := DecodeVersion(in)
			if err != nil || !got.Equal(&v) {
				t.Fatalf("version %d: decoded %v, %v", v.Number, got, err)
			}
			if again, _ := got.Encode(); !bytes.Equal(again, b) {
				t.Fatalf("version %d: re-encoding differs", v.Number)
			}
		}
	}
	hb, err := h.Encode()
	must(t, err)
	if _, err := DecodeVersion(hb); err == nil {
		t.Fatal("a history decoded as a version")
	}
}
