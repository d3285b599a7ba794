package layout

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestCodecRoundTrip(t *testing.T) {
	h := threeZones(t, 4)
	must(t, h.Assign("n9", StorageRole("b", 2e12, "fast", "ssd"), 30))
	must(t, h.Remove("n0", 31))
	if _, err := h.Apply(2, 40); err != nil {
		t.Fatal(err)
	}
	must(t, h.Assign("gw", GatewayRole("c"), 50))
	must(t, h.SetRedundancy(AtLeast(2), 51))
	h.Ack("n1", 2)
	h.Synced("n2", 2)
	b, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeHistory(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(h) {
		t.Fatal("decoded history differs")
	}
	b2, _ := got.Encode()
	if !bytes.Equal(b, b2) {
		t.Fatal("re-encoding changed the bytes")
	}
	vb, _ := h.Current().Encode()
	v, err := DecodeVersion(vb)
	if err != nil || !v.Equal(h.Current()) {
		t.Fatalf("version round trip: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	h := threeZones(t, 3)
	good, _ := h.Encode()
	tests := map[string][]byte{
		"garbage":       []byte("{nope"),
		"wrong format":  bytes.Replace(good, []byte(`"format":1`), []byte(`"format":9`), 1),
		"unknown field": bytes.Replace(good, []byte(`"format":1`), []byte(`"format":1,"x":2`), 1),
		"bad ring":      bytes.Replace(good, []byte(`"ring":[`), []byte(`"ring":[77,`), 1),
		"no history":    []byte(`{"format":1}`),
		"negative bits": tamperedJSON(t, h, func(v *Version) { v.Params.PartitionBits = -1 }),
		"overflowing ring size": tamperedJSON(t, h, func(v *Version) {
			v.Params, v.Ring = Params{Replication: 1 << 48, PartitionBits: 16}, nil
		}),
	}
	for name, b := range tests {
		if _, err := DecodeHistory(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// TestFormat1Golden decodes a history as binaries of Format 1 persisted
// it, so clusters upgraded from them keep their layout.
func TestFormat1Golden(t *testing.T) {
	h := goldenHistory(t)
	path := filepath.Join("testdata", "history.format1.json")
	if *update {
		b, err := h.Encode()
		must(t, err)
		must(t, os.WriteFile(path, b, 0o644))
	}
	b, err := os.ReadFile(path)
	must(t, err)
	got, err := DecodeHistory(b)
	must(t, err)
	if !sameHistory(got, h) {
		t.Fatalf("%s decodes to a different history", path)
	}
}

// tamperedJSON returns the Format 1 encoding of h with its current version
// changed by tamper.
func tamperedJSON(t *testing.T, h *History, tamper func(v *Version)) []byte {
	t.Helper()
	c := h.Clone()
	tamper(c.Current())
	b, err := json.Marshal(envelope{Format: 1, History: c})
	must(t, err)
	return b
}

// TestSummaryGolden pins the CLI rendering of a summary: the talk's
// cluster, then a fourth zone added. Regenerate with -update.
func TestSummaryGolden(t *testing.T) {
	h, _ := NewHistory(3, DefaultPartitionBits)
	const tb = 1_000_000_000_000
	for _, m := range []Member{
		{"io", StorageRole("jupiter", 20*tb)}, {"drosera", StorageRole("atuin", 20*tb)},
		{"datura", StorageRole("atuin", 10*tb)}, {"digitale", StorageRole("atuin", 10*tb)},
		{"celeri", StorageRole("neptune", 5*tb)}, {"concombre", StorageRole("neptune", 5*tb)},
		{"courgette", StorageRole("neptune", 5*tb)}, {"gw", GatewayRole("atuin", "edge")},
	} {
		must(t, h.Assign(m.ID, m.Role, 1))
	}
	s1, err := h.Apply(1, 2)
	must(t, err)
	must(t, h.Assign("pluton", StorageRole("kuiper", 10*tb, "new"), 3))
	s2, err := h.Apply(2, 4)
	must(t, err)
	got := s1.String() + "\n" + s2.String()
	path := filepath.Join("testdata", "summary.golden")
	if *update {
		must(t, os.MkdirAll("testdata", 0o755))
		must(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("summary differs from %s (run with -update to accept):\n%s", path, got)
	}
}

// TestVerify checks that Verify accepts computed versions and rejects
// tampered ones.
func TestVerify(t *testing.T) {
	h := threeZones(t, 6)
	v := h.Current().Clone()
	must(t, v.Verify())
	tests := map[string]func(v *Version){
		"two replicas in one zone": func(v *Version) { v.Ring[1] = sameZoneOther(v) },
		"over capacity":            func(v *Version) { v.PartitionSize *= 3 },
		"duplicate node":           func(v *Version) { v.Ring[1] = v.Ring[0] },
		"storage mismatch":         func(v *Version) { v.Storage = v.Storage[1:] },
	}
	for name, tamper := range tests {
		w := v.Clone()
		tamper(&w)
		if err := w.Verify(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// sameZoneOther returns a storage node in the zone of partition 0's first
// node and outside partition 0 (nodes n0..n5 sit in zones a, b, c, a, b, c).
func sameZoneOther(v *Version) uint16 {
	set := v.Ring[:3]
	for i := range uint16(len(v.Storage)) {
		if i%3 == set[0]%3 && !slices.Contains(set, i) {
			return i
		}
	}
	panic("no candidate")
}
