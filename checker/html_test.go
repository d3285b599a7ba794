package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteHTML(t *testing.T) {
	h := hist(put(1, "a", 1, 2), put(2, "b", 4, 5), get(3, 6, 7, "a"), failed(put(4, "c", 8, 9)),
		add(5, "x", 10, 11), list(6, 12, 13, "x"))
	h.Nemeses = []Nemesis{{Stamp: 3, Kind: "partition", Description: "isolate-zone-dc2"}}
	raw := ReadAfterWrite(h, Options{})
	if raw.OK {
		t.Fatal("want a stale read to visualise")
	}
	tests := []struct {
		key   string
		marks []Violation
		want  []string
	}{
		{"k", raw.Violations, []string{"isolate-zone-dc2", "stale-read", `put(\"b\")`, "put fail"}},
		{"s", nil, []string{"isolate-zone-dc2", `add(\"x\")`}},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), tt.key+".html")
		if err := WriteHTML(path, h, tt.key, tt.marks...); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s: html lacks %q", tt.key, w)
			}
		}
	}
	if err := WriteHTML(filepath.Join(t.TempDir(), "x.html"), h, "nothing"); err == nil {
		t.Error("no error for a key without operations")
	}
}
