package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/plots/spec"
)

func TestCreate(t *testing.T) {
	root := t.TempDir()
	d, err := Create(root, "latency")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(d.Path()); err != nil || !st.IsDir() || d.Path() != filepath.Join(root, "latency") {
		t.Errorf("Create made %q: %v, %v", d.Path(), st, err)
	}
	if _, err := Create(root, "latency"); err != nil {
		t.Errorf("Create of an existing directory: %v", err)
	}
	for _, bad := range []string{"", "../up", "a/b", ".hidden"} {
		if _, err := Create(root, bad); err == nil {
			t.Errorf("Create(%q): no error", bad)
		}
	}
}

func TestWriteTableAndFigure(t *testing.T) {
	d, _ := Create(t.TempDir(), "latency")
	fig := spec.Figure{Name: "latency", Data: "latency.csv", Bar: &spec.Bar{Category: "endpoint", Value: "mean_ms"}}
	if err := d.WriteFigure(fig); err == nil || !strings.Contains(err.Error(), "write the table first") {
		t.Errorf("WriteFigure before its table: %v", err)
	}
	tab := NewTable("latency", Text("endpoint"), Duration("mean", "ms", 1))
	tab.Add("GetObject", 129*time.Millisecond)
	if err := d.WriteTable(tab); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFigure(fig); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, d, "latency.csv"); got != "endpoint,mean_ms\nGetObject,129.0\n" {
		t.Errorf("latency.csv = %q", got)
	}
	back, err := spec.Parse([]byte(readFile(t, d, "latency.figure.json")))
	if err != nil || back.Bar.Value != "mean_ms" {
		t.Errorf("latency.figure.json reads back as %+v, %v", back, err)
	}
	fig.Bar.Value = ""
	if err := d.WriteFigure(fig); err == nil || !strings.Contains(err.Error(), "value: no column named") {
		t.Errorf("WriteFigure of an invalid spec: %v", err)
	}
	assertNoTempFiles(t, d)
}

func readFile(t *testing.T, d Dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(d.Path(), name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertNoTempFiles(t *testing.T, d Dir) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(d.Path(), ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteMeta(t *testing.T) {
	d, _ := Create(t.TempDir(), "latency")
	m := Meta{
		World: Sim, Seed: 42,
		Params:  map[string]any{"rtt_ms": 100, "nodes": 5, "jitter_ms": 20},
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Wall:    1500 * time.Millisecond, Virtual: 2 * time.Minute,
		Build: Build{Commit: "abc123", GoVersion: "go1.26.0"},
	}
	if err := d.WriteMeta(m); err != nil {
		t.Fatal(err)
	}
	want := `{
  "experiment": "latency",
  "world": "sim",
  "seed": 42,
  "params": {
    "jitter_ms": 20,
    "nodes": 5,
    "rtt_ms": 100
  },
  "started": "2026-01-02T03:04:05Z",
  "wall_ns": 1500000000,
  "virtual_ns": 120000000000,
  "build": {
    "commit": "abc123",
    "go_version": "go1.26.0"
  }
}
`
	if got := readFile(t, d, "meta.json"); got != want {
		t.Errorf("meta.json:\n%s\nwant:\n%s", got, want)
	}
	m.World = "simulated"
	if err := d.WriteMeta(m); err == nil || !strings.Contains(err.Error(), `world "simulated"`) {
		t.Errorf("WriteMeta with a bad world: %v", err)
	}
	assertNoTempFiles(t, d)
}

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/gogarage/garage"},
		Deps: []*debug.Module{
			{Path: "gonum.org/v1/plot", Version: "v0.17.0"},
			{Path: "example.com/x", Version: "v1.0.0", Replace: &debug.Module{Path: "../x"}},
		},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "deadbeef"}, {Key: "vcs.modified", Value: "true"}},
	}
	got, _ := json.Marshal(FromBuildInfo(bi))
	want := `{"commit":"deadbeef","dirty":true,"go_version":"go1.26.8","module":"github.com/gogarage/garage",` +
		`"deps":[{"path":"gonum.org/v1/plot","version":"v0.17.0"},{"path":"example.com/x","version":"v1.0.0","replace":"../x"}]}`
	if string(got) != want {
		t.Errorf("FromBuildInfo = %s\nwant %s", got, want)
	}
	if b := FromBuildInfo(nil); b.GoVersion == "" || b.Commit != "" {
		t.Errorf("FromBuildInfo(nil) = %+v, want the Go version only", b)
	}
}

func TestReadBuild(t *testing.T) {
	b := ReadBuild(".")
	if b.GoVersion == "" || b.Module != "github.com/gogarage/garage" {
		t.Errorf("ReadBuild = %+v, want the Go version and this module", b)
	}
	if commit, _, err := GitCommit("."); err == nil && (b.Commit != commit || len(commit) != 40) {
		t.Errorf("ReadBuild commit %q, git says %q", b.Commit, commit)
	}
	if _, _, err := GitCommit(t.TempDir()); err == nil {
		t.Error("GitCommit outside a git work tree: no error")
	}
}
