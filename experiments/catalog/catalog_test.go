package catalog

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.sha256 from this run")

const golden = "testdata/golden.sha256"

// knownMisses are the goals the simulated runs miss today, by
// "experiment/subject/goal", and why: any other missed goal fails the
// test, and so does one of these once met (update the list, the README's
// reading and the figures). Every goal is met today.
func knownMisses() map[string]string { return map[string]string{} }

// runQuick runs every experiment that runs in the simulator at its CI size
// with seed 1 into dir, each in a parallel subtest, failing it on a run
// that could not be carried out, that drew no figure, or whose goals other
// than the known misses were missed. It returns once all have run.
func runQuick(t *testing.T, dir string) {
	known := knownMisses()
	t.Run("quick", func(t *testing.T) {
		for _, e := range All() {
			if !e.Supports(results.Sim) {
				continue
			}
			t.Run(e.Name, func(t *testing.T) {
				t.Parallel()
				var log bytes.Buffer
				out := lab.Run(context.Background(), e, lab.Options{Quick: true, Seed: 1, Out: dir, Log: &log, Progress: io.Discard})
				if out.Err != nil {
					t.Errorf("%s: %s\n%s", e.Name, out.Verdict(), log.String())
				}
				if len(out.Figures) == 0 {
					t.Errorf("%s drew no figure", e.Name)
				}
				for _, g := range out.Goals {
					_, isKnown := known[e.Name+"/"+g.Subject+"/"+g.Name]
					if g.Met() == isKnown {
						t.Errorf("%s: %v (known miss: %t)", e.Name, g, isKnown)
					}
				}
			})
		}
	})
}

// hashes returns "experiment/file sha256" lines for every CSV and SVG of
// dir but the wall-clock ones (names starting with "wall"), sorted.
func hashes(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"*/*.csv", "*/*.svg"} {
		paths, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasPrefix(filepath.Base(p), "wall") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel)+" "+hex.EncodeToString(sum[:]))
		}
	}
	slices.Sort(out)
	return out
}

// TestGoldenHashes runs every simulated experiment at its CI size and
// compares the SHA-256 of each CSV and SVG with testdata/golden.sha256:
// for a fixed seed the simulator's tables and figures are byte-stable.
// Regenerate with go test ./experiments/catalog -run Golden -update after
// a change that moves them on purpose.
func TestGoldenHashes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	runQuick(t, dir)
	if t.Failed() {
		t.FailNow()
	}
	got := hashes(t, dir)
	if *update {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t)
	if len(got) == 0 {
		t.Fatal("no CSV or SVG written")
	}
	lines := diff(want, got)
	for _, line := range lines {
		t.Error(line)
	}
	if len(lines) > 0 {
		t.Log("if the change is meant, regenerate with: go test ./experiments/catalog -run Golden -update")
	}
}

func readGolden(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// diff names the files whose hash changed, appeared or vanished.
func diff(want, got []string) []string {
	index := func(ls []string) map[string]string {
		m := map[string]string{}
		for _, l := range ls {
			f, h, _ := strings.Cut(l, " ")
			m[f] = h
		}
		return m
	}
	w, g := index(want), index(got)
	var out []string
	for f, h := range g {
		switch wh, ok := w[f]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s: new file (not in %s)", f, golden))
		case wh != h:
			out = append(out, fmt.Sprintf("%s: hash %s, golden %s", f, h[:12], wh[:12]))
		}
	}
	for f := range w {
		if _, ok := g[f]; !ok {
			out = append(out, fmt.Sprintf("%s: in %s but not written", f, golden))
		}
	}
	slices.Sort(out)
	return out
}

// TestMetaDiffersOnlyInWallTime runs latency twice: meta.json may differ
// only in the start, wall time and build.
func TestMetaDiffersOnlyInWallTime(t *testing.T) {
	t.Parallel()
	e, err := All().Lookup("latency")
	if err != nil {
		t.Fatal(err)
	}
	var metas []map[string]any
	for range 2 {
		dir := t.TempDir()
		out := lab.Run(context.Background(), e, lab.Options{Quick: true, Seed: 1, Out: dir, Progress: io.Discard})
		if out.Err != nil {
			t.Fatal(out.Err)
		}
		b, err := os.ReadFile(filepath.Join(out.Dir, "meta.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"started", "wall_ns", "build"} {
			if _, ok := m[k]; !ok && k != "build" {
				t.Errorf("meta.json lacks %q", k)
			}
			delete(m, k)
		}
		metas = append(metas, m)
	}
	a, _ := json.Marshal(metas[0])
	b, _ := json.Marshal(metas[1])
	if !bytes.Equal(a, b) {
		t.Errorf("meta.json differs beyond wall time:\n%s\n%s", a, b)
	}
	if !strings.Contains(string(a), `"virtual_ns"`) || !strings.Contains(string(a), `"samples"`) {
		t.Errorf("meta.json lacks the virtual time or the parameters: %s", a)
	}
}

// TestNames keeps the catalog's names unique and documented.
func TestNames(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.Name] || e.Summary == "" || e.Doc == "" || len(e.Worlds) == 0 || e.Run == nil {
			t.Errorf("experiment %q: duplicate or incomplete", e.Name)
		}
		seen[e.Name] = true
	}
	for _, want := range []string{"latency", "latency-3dc", "scaling", "zone-failure", "rebalance", "consistency", "variants", "fidelity"} {
		if !seen[want] {
			t.Errorf("no experiment %q", want)
		}
	}
}
