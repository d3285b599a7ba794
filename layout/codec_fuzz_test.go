package layout

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeHistory checks that decoding never panics and that whatever
// decodes is canonical: a Format 2 input re-encodes to itself, and any
// input re-encodes to bytes that decode to the same history and encode
// to themselves. Its seeds are in testdata/fuzz/FuzzDecodeHistory
// (TestFuzzSeeds writes them with -update), so plain go test runs them.
func FuzzDecodeHistory(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeHistory(b)
		if err != nil {
			return
		}
		enc, err := h.Encode()
		if err != nil {
			t.Fatalf("decoded history does not encode: %v", err)
		}
		if !isJSON(b) && !bytes.Equal(enc, b) {
			t.Fatalf("re-encoding differs:\n got %x\nwant %x", enc, b)
		}
		checkDecodes(t, "re-encoded", enc, h, enc)
	})
}

// fuzzSeeds returns the seed corpus of FuzzDecodeHistory by name: valid
// histories of every shape, in both formats, and a few invalid inputs.
func fuzzSeeds(t *testing.T) map[string][]byte {
	golden, err := goldenHistory(t).Encode()
	must(t, err)
	format1, err := os.ReadFile(filepath.Join("testdata", "history.format1.json"))
	must(t, err)
	empty, _ := NewHistory(3, DefaultPartitionBits)
	seeds := map[string][]byte{
		"tiny": unhex(t, tiny), "golden": golden, "golden-format1": format1,
		"empty": encoded(t, empty), "version": encodedVersion(t, goldenHistory(t).Current()),
		"truncated": golden[:len(golden)/2], "trailing": append(unhex(t, tiny), 0),
	}
	r := rand.New(rand.NewPCG(31, 32))
	for i := range 6 {
		h := randHistory(t, r)
		if h.Current().Params.PartitionBits <= 4 {
			seeds[fmt.Sprintf("random-%d", i)] = encoded(t, h)
		}
	}
	return seeds
}

// encoded returns the encoding of h.
func encoded(t *testing.T, h *History) []byte {
	b, err := h.Encode()
	must(t, err)
	return b
}

// encodedVersion returns the encoding of v.
func encodedVersion(t *testing.T, v *Version) []byte {
	b, err := v.Encode()
	must(t, err)
	return b
}

// TestFuzzSeeds keeps the seed corpus of FuzzDecodeHistory in step with
// the format: each seed file holds what fuzzSeeds makes. Regenerate with
// -update. Other files there (inputs the fuzzer found) are left alone.
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecodeHistory")
	for name, b := range fuzzSeeds(t) {
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b)
		path := filepath.Join(dir, "seed-"+name)
		if *update {
			must(t, os.MkdirAll(dir, 0o755))
			must(t, os.WriteFile(path, want, 0o644))
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale or missing (run with -update): %v", path, err)
		}
	}
}
