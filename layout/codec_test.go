package layout

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// tiny is the encoding of a history with one version: nodes x and y, 10
// bytes each in zone a, RF 1, one partition (on y), staging stamped 6.
// Fields are separated by spaces, list elements by |.
const tiny = "02 48  03 0161|0178|0179  " + // header, strings a x y
	"01 01 02 00 00 14  02 01 00 14 00 00|02 00 14 00 00  01 01  " + // version 1
	"00  00 00 00  06 06 00 00" // no old versions, trackers, staging

// unhex decodes a hex string with spaces and |.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "|", "").Replace(s))
	must(t, err)
	return b
}

// TestEncodeTiny pins the format on a history small enough to read.
func TestEncodeTiny(t *testing.T) {
	h, _ := NewHistory(1, 0)
	must(t, h.Assign("x", StorageRole("a", 10), 5))
	must(t, h.Assign("y", StorageRole("a", 10), 5))
	applyNext(t, h, 6)
	got, err := h.Encode()
	must(t, err)
	if want := unhex(t, tiny); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	d, err := DecodeHistory(got)
	if err != nil || !sameHistory(d, h) {
		t.Fatalf("decoded %+v, %v", d, err)
	}
}

// TestDecodeRejects checks that malformed encodings, each one change away
// from tiny, fail with the error that names the change.
func TestDecodeRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "truncated"},
		{"unknown format", strings.Replace(tiny, "02 48", "03 48", 1), "unknown format byte 0x03"},
		{"version kind", strings.Replace(tiny, "02 48", "02 56", 1), "kind 'V'"},
		{"trailing byte", tiny + "00", "1 trailing bytes"},
		{"non-minimal varint", strings.Replace(tiny, "01 01 02", "01 81 00 02", 1), "shortest form"},
		{"overflowing varint", strings.Replace(tiny, "01 01 02", "01 ffffffffffffffffff02 02", 1), "overflows"},
		{"count beyond input", strings.Replace(tiny, "03 0161", "7f 0161", 1), "count 127"},
		{"unsorted strings", strings.Replace(tiny, "0178|0179", "0179|0178", 1), "not after"},
		{"repeated string", strings.Replace(tiny, "0178|0179", "0178|0178", 1), "not after"},
		{"unused string", strings.Replace(tiny, "03 0161|0178|0179", "04 0161|0178|0179|017a", 1), "never used"},
		{"string index out of range", strings.Replace(tiny, "02 01 00 14", "02 07 00 14", 1), "string index 7"},
		{"unsorted members", strings.Replace(tiny, "02 01 00 14 00 00|02", "02 02 00 14 00 00|01", 1), "not sorted"},
		{"ring index out of range", strings.Replace(tiny, "01 01  00", "01 02  00", 1), "past the 2 storage nodes"},
		{"ring size", strings.Replace(tiny, "01 01  00", "02 01 00  00", 1), "ring has 2 entries"},
		{"bad boolean", strings.Replace(tiny, "01 00 14 00 00", "01 00 14 02 00", 1), "boolean 2"},
		{"bad role", strings.Replace(tiny, "01 00 14 00 00", "01 00 00 00 00", 1), "capacity 0"},
		{"bad params", strings.Replace(tiny, "01 01 02 00 00 14", "01 01 02 00 40 14", 1), "partition bits 32"},
		{"unsorted tracker", strings.Replace(tiny, "00  00 00 00", "00  02 02 01|01 01 00 00", 1), "tracker not sorted"},
		{"no live version", "02 48 00 00 00 00 00 00 00 00 00 00", "no live version"},
		{"JSON garbage", hex.EncodeToString([]byte("{nope")), "format 1"},
		{"JSON of format 2", hex.EncodeToString([]byte(`{"format":2}`)), "JSON encoding of format 2"},
	}
	for _, tt := range tests {
		_, err := DecodeHistory(unhex(t, tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// TestDecodeRejectsPrefixes checks that every strict prefix of an encoding
// fails to decode.
func TestDecodeRejectsPrefixes(t *testing.T) {
	b, err := goldenHistory(t).Encode()
	must(t, err)
	for n := range len(b) {
		if _, err := DecodeHistory(b[:n]); err == nil {
			t.Fatalf("prefix of %d bytes of %d decoded", n, len(b))
		}
	}
}

// TestDecodeRejectsJSON checks the strictness of the Format 1 reader.
func TestDecodeRejectsJSON(t *testing.T) {
	h := threeZones(t, 3)
	good, err := json.Marshal(envelope{Format: 1, History: h})
	must(t, err)
	tests := map[string][]byte{
		"wrong format":  bytes.Replace(good, []byte(`"format":1`), []byte(`"format":9`), 1),
		"unknown field": bytes.Replace(good, []byte(`"format":1`), []byte(`"format":1,"x":2`), 1),
		"bad ring":      bytes.Replace(good, []byte(`"ring":[`), []byte(`"ring":[77,`), 1),
		"no history":    []byte(`{"format":1}`),
		"trailing data": append(slices.Clone(good), `{}`...),
		"negative bits": tamperedJSON(t, h, func(v *Version) { v.Params.PartitionBits = -1 }),
		"overflowing ring size": tamperedJSON(t, h, func(v *Version) {
			v.Params, v.Ring = Params{Replication: 1 << 48, PartitionBits: 16}, nil
		}),
	}
	if _, err := DecodeHistory(good); err != nil {
		t.Fatalf("untampered: %v", err)
	}
	for name, b := range tests {
		if _, err := DecodeHistory(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// TestHistoryGolden pins the encoding of goldenHistory and checks that the
// stored encoding still decodes to it. Regenerate with -update.
func TestHistoryGolden(t *testing.T) {
	h := goldenHistory(t)
	got, err := h.Encode()
	must(t, err)
	path := filepath.Join("testdata", "history.golden")
	if *update {
		must(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Fatalf("encoding differs from %s (run with -update to accept):\n%s", path, hex.Dump(got))
	}
	d, err := DecodeHistory(want)
	if err != nil || !sameHistory(d, h) {
		t.Fatalf("%s decodes to a different history (%v)", path, err)
	}
}

// TestFormat1Golden decodes a history as binaries of Format 1 persisted
// it, so clusters upgraded from them keep their layout. The file was
// written by the Format 1 encoder (commit a567258) and is never
// regenerated.
func TestFormat1Golden(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "history.format1.json"))
	must(t, err)
	got, err := DecodeHistory(b)
	must(t, err)
	if !sameHistory(got, goldenHistory(t)) {
		t.Fatal("the Format 1 golden history decodes to a different history")
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
