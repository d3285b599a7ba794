// Package garage_test holds the repository's guard test: it runs the
// analysers of cmd/garage-vet/guard (the import arrows of DESIGN.md §2,
// the rules of §3 for node code) over every package of the module and
// fails on any diagnostic. The rules and their fixtures live with the
// analysers; `go run ./cmd/garage-vet ./...` runs the same check.
package garage_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/gogarage/garage/cmd/garage-vet/guard"
)

func TestHouseRules(t *testing.T) {
	pkgs := loadModule(t)
	graph, err := checker.Analyze(guard.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatalf("analyse: %v", err)
	}
	judged := map[string]map[string]int{} // analyser -> package -> files judged
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			t.Errorf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
		if judged[act.Analyzer.Name] == nil {
			judged[act.Analyzer.Name] = map[string]int{}
		}
		judged[act.Analyzer.Name][act.Package.PkgPath] = act.Result.(guard.Checked).Files
	}
	assertJudged(t, judged)
}

// loadModule loads and type-checks every package of the module, test
// files aside (the rules judge production code only); dependencies come
// from export data.
func loadModule(t *testing.T) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports |
		packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatalf("load ./...: %v", err)
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Errorf("load %s: %v", p.PkgPath, e)
		}
	}
	return pkgs
}

// assertJudged fails unless every analyser judged the files of node/rt
// and node/table (the check is not vacuous), and the node analysers left
// the real driver alone (their default scope is the intended one).
func assertJudged(t *testing.T, judged map[string]map[string]int) {
	t.Helper()
	for _, a := range guard.Analyzers() {
		for _, p := range []string{"/node/rt", "/node/table"} {
			if judged[a.Name][guard.Module+p] == 0 {
				t.Errorf("%s judged no file of %s: the check would be vacuous", a.Name, guard.Module+p)
			}
		}
		if n := judged[a.Name][guard.Module+"/node/host"]; a.Name != "arrows" && n != 0 {
			t.Errorf("%s judged %d files of the real driver %s", a.Name, n, guard.Module+"/node/host")
		}
	}
	t.Logf("analysed %d packages", len(judged["arrows"]))
}
