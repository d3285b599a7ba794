package main

import (
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"4096": 4096, "4KiB": 4 << 10, " 1MiB": 1 << 20, "16MiB": 16 << 20, "1GiB": 1 << 30} { //det:ok test
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "KiB", "-1", "0", "4kb", "1.5MiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestConfigs(t *testing.T) {
	base := config{clients: 8, putSize: 1 << 20, getSize: 64 << 10, getObjects: 256}
	got, err := compareConfig{}.configs(base)
	if err != nil || len(got) != 1 || got[0] != base {
		t.Fatalf("no -sizes, no -concurrency: %v, %v; want the base config alone", got, err)
	}
	got, err = compareConfig{sizes: "4KiB,16MiB", concurrency: "1,8"}.configs(base)
	if err != nil {
		t.Fatal(err)
	}
	type sc struct{ size, clients, objects int }
	want := []sc{{4 << 10, 1, 256}, {4 << 10, 8, 256}, {16 << 20, 1, 16}, {16 << 20, 8, 16}}
	if len(got) != len(want) {
		t.Fatalf("got %d configs, want %d", len(got), len(want))
	}
	for i, c := range got {
		if (sc{c.putSize, c.clients, c.getObjects}) != want[i] || c.getSize != c.putSize {
			t.Errorf("config %d: put %d get %d clients %d objects %d; want %v", i, c.putSize, c.getSize, c.clients, c.getObjects, want[i])
		}
	}
	if _, err := (compareConfig{concurrency: "0"}).configs(base); err == nil {
		t.Error("-concurrency 0 accepted")
	}
}

// TestWithRegionAndFsync edits a generated garage.toml as compare does:
// the region and the two fsync keys change, nothing else.
func TestWithRegionAndFsync(t *testing.T) {
	in := "metadata_dir = \"/m\"\nreplication_factor = 1\nmetadata_fsync = true\n\n[s3_api]\napi_bind_addr = \"127.0.0.1:3900\"\ns3_region = \"garage\"\n"
	got := withRegion(withFsync(in, false), minioRegion)
	want := "metadata_dir = \"/m\"\nreplication_factor = 1\nmetadata_fsync = false\ndata_fsync = false\n\n[s3_api]\napi_bind_addr = \"127.0.0.1:3900\"\ns3_region = \"us-east-1\"\n"
	if got != want {
		t.Errorf("edited config:\n%s\nwant:\n%s", got, want)
	}
}
