package guard_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gogarage/garage/cmd/garage-vet/guard"
)

// fixture runs analyser a, with flags set as name=value, on the packages
// of testdata/src that patterns name, checks its diagnostics against the
// want comments, and returns the files it judged per package (test
// variants aside).
func fixture(t *testing.T, a *analysis.Analyzer, flags []string, patterns ...string) map[string]int {
	t.Helper()
	for _, f := range flags {
		name, value, _ := strings.Cut(f, "=")
		if err := a.Flags.Set(name, value); err != nil {
			t.Fatalf("-%s.%s: %v", a.Name, f, err)
		}
	}
	files := map[string]int{}
	for _, r := range analysistest.Run(t, analysistest.TestData(), a, patterns...) {
		if c, ok := r.Action.Result.(guard.Checked); ok && !strings.Contains(r.Action.Package.ID, "[") {
			files[r.Action.Package.PkgPath] = c.Files
		}
	}
	return files
}

// judged fails unless the analyser judged the files of every package of
// in and none of out.
func judged(t *testing.T, files map[string]int, in, out []string) {
	t.Helper()
	for _, p := range in {
		if files[p] == 0 {
			t.Errorf("%s: no file judged, want the package in scope", p)
		}
	}
	for _, p := range out {
		if n, ok := files[p]; !ok || n != 0 {
			t.Errorf("%s: judged %d files (analysed: %v), want the package analysed and out of scope", p, n, ok)
		}
	}
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	files := fixture(t, guard.Determinism(), []string{"scope=determinism/...", "exempt=determinism/driver/..."},
		"determinism/...", "outofscope")
	judged(t, files, []string{"determinism"}, []string{"determinism/driver", "outofscope"})
}

func TestNodeIO(t *testing.T) {
	t.Parallel()
	files := fixture(t, guard.NodeIO(), []string{"scope=nodeio/...", "exempt=nodeio/driver/...", "http=nodeio/s3http"},
		"nodeio/...", "outofscope")
	judged(t, files, []string{"nodeio", "nodeio/s3http"}, []string{"nodeio/driver", "outofscope"})
}

func TestMapOrder(t *testing.T) {
	t.Parallel()
	files := fixture(t, guard.MapOrder(), []string{"scope=maporder/..."}, "maporder/...", "outofscope")
	judged(t, files, []string{"maporder"}, []string{"outofscope"})
}

func TestFailpoints(t *testing.T) {
	t.Parallel()
	files := fixture(t, guard.Failpoints(),
		[]string{"scope=failpoints/...", "exempt=failpoints/driver/...", "wrapper=failpoints/fail"},
		"failpoints/...", "outofscope")
	judged(t, files, []string{"failpoints", "failpoints/fail"}, []string{"failpoints/driver", "outofscope"})
}

func TestArrows(t *testing.T) {
	t.Parallel()
	files := fixture(t, guard.Arrows(), []string{"module=example.com/g"}, "example.com/g/...", "example.com/gx/...")
	judged(t, files, []string{"example.com/g", "example.com/g/node/table", "example.com/g/cmd/tool"},
		[]string{"example.com/gx/sim"})
}

// TestEveryRuleHasFixture fails when a rule has no want comment that
// names it in the fixtures: a rule nothing proves to bite.
func TestEveryRuleHasFixture(t *testing.T) {
	var wants strings.Builder
	err := filepath.WalkDir(filepath.Join("testdata", "src"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, line := range strings.Split(string(src), "\n") {
			if _, want, ok := strings.Cut(line, "// want "); ok {
				wants.WriteString(want + "\n")
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for rule := range guard.Rules() {
		if !strings.Contains(wants.String(), `"`+rule+`: `) {
			t.Errorf("rule %s: no // want \"%s: ...\" in testdata/src", rule, rule)
		}
	}
}

func TestAnalyzersValidate(t *testing.T) {
	if err := analysis.Validate(guard.Analyzers()); err != nil {
		t.Fatal(err)
	}
}
