// Package garage_test holds the repository's guard tests: the import
// arrows of DESIGN.md §2 and the source scan of node/ for the rules of
// DESIGN.md §3.
//
// Arrows are checked on production imports only (`go list` Imports, the
// non-test files of the current build configuration). Test files are
// exempt: a node package's external test may run it in the simulator,
// which imports node. The source scan also reads non-test files only, of
// every package under node/ but the real driver — node/host, node/daemon
// (which wires the real ports into a process) and their subpackages —
// type-checked so that renamed imports, methods and map types are
// resolved. testdata/violations proves each rule bites; testdata/clean
// proves the allowed forms pass.
package garage_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// httpAllowlist names the node packages that may import net/http: the
// HTTP adapters of the S3 service, admin API and web server. Add a package
// here when it is written.
func httpAllowlist(module string) map[string]bool {
	return map[string]bool{
		// module + "/node/s3http": true,
	}
}

func nodeScanConfig(module string) scanConfig {
	return scanConfig{HTTPAllowed: httpAllowlist(module), FailpointPkg: module + "/node/fail"}
}

func TestImportArrows(t *testing.T) {
	pkgs := goList(t, "./...")
	module := mainModule(t)
	if !slices.ContainsFunc(pkgs, func(p listedPackage) bool { return p.ImportPath == module+"/node/rt" }) {
		t.Fatalf("go list ./... did not list %s/node/rt: the check would be vacuous", module)
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			for _, msg := range checkArrows(module, designArrows(), []importEdge{{p.ImportPath, imp}}) {
				t.Errorf("import arrow broken at %s: %s", importSite(p.Dir, p.GoFiles, imp), msg)
			}
		}
	}
}

// mainModule returns the module path of the repository.
func mainModule(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// realDriver reports whether path belongs to the real driver, the only
// code under node/ allowed to touch goroutines, time, sockets and files.
func realDriver(module, path string) bool {
	for _, dir := range []string{"/node/host", "/node/daemon"} {
		if path == module+dir || strings.HasPrefix(path, module+dir+"/") {
			return true
		}
	}
	return false
}

func TestNodeSourceRules(t *testing.T) {
	module := mainModule(t)
	var scanned []string
	for _, p := range loadChecked(t, "./node/...") {
		if realDriver(module, p.Path) {
			continue
		}
		scanned = append(scanned, p.Path)
		for _, f := range scanPackage(nodeScanConfig(module), p) {
			t.Errorf("%s", f)
		}
	}
	for _, must := range []string{"/node/rt", "/node/fail"} {
		if !slices.Contains(scanned, module+must) {
			t.Errorf("%s was not scanned: the check would be vacuous", module+must)
		}
	}
	t.Logf("scanned %d node packages: %v", len(scanned), scanned)
}

func TestScannerCatchesPlantedViolations(t *testing.T) {
	pkgs := loadChecked(t, "./testdata/violations")
	if len(pkgs) != 1 {
		t.Fatalf("loaded %d fixture packages, want 1", len(pkgs))
	}
	p := pkgs[0]
	got := findingKeys(scanPackage(scanConfig{}, p))
	want := wantKeys(p)
	for _, k := range missing(want, got) {
		t.Errorf("planted violation not reported: %s", k)
	}
	for _, k := range missing(got, want) {
		t.Errorf("reported but not planted (no // want: comment): %s", k)
	}
	fired := map[string]bool{}
	for _, k := range got {
		fired[k[strings.LastIndex(k, " ")+1:]] = true
	}
	for rule := range ruleDocs() {
		if !fired[rule] {
			t.Errorf("rule %s never fired on the fixture: plant an instance in testdata/violations", rule)
		}
	}
}

func TestScannerAcceptsAllowedForms(t *testing.T) {
	for _, p := range loadChecked(t, "./testdata/clean") {
		for _, f := range scanPackage(scanConfig{}, p) {
			t.Errorf("false positive: %s", f)
		}
	}
}

func TestScannerHTTPAllowlist(t *testing.T) {
	p := loadChecked(t, "./testdata/violations")[0]
	count := func(cfg scanConfig) (n int) {
		for _, f := range scanPackage(cfg, p) {
			if f.Rule == "net-io" && strings.Contains(f.Msg, `"net/http"`) {
				n++
			}
		}
		return n
	}
	if got := count(scanConfig{}); got != 1 {
		t.Errorf("net/http findings without allowlist = %d, want 1", got)
	}
	if got := count(scanConfig{HTTPAllowed: map[string]bool{p.Path: true}}); got != 0 {
		t.Errorf("net/http findings with the fixture allowlisted = %d, want 0", got)
	}
}

// missing returns the elements of want (sorted, with repeats) that got
// (sorted) lacks, counting repeats.
func missing(want, got []string) []string {
	var out []string
	j := 0
	for _, w := range want {
		for j < len(got) && got[j] < w {
			j++
		}
		if j < len(got) && got[j] == w {
			j++
			continue
		}
		out = append(out, w)
	}
	return out
}

// findingKeys returns "file:line rule" for each finding, sorted.
func findingKeys(fs []finding) []string {
	var keys []string
	for _, f := range fs {
		keys = append(keys, fmt.Sprintf("%s:%d %s", filepath.Base(f.Pos.Filename), f.Pos.Line, f.Rule))
	}
	slices.Sort(keys)
	return keys
}

// wantKeys returns "file:line rule" for each rule named by a "// want:"
// comment of the package, sorted.
func wantKeys(p checkedPackage) []string {
	var keys []string
	for _, f := range p.Files {
		for _, g := range f.Comments {
			for _, c := range g.List {
				rules, ok := strings.CutPrefix(c.Text, "// want:")
				if !ok {
					continue
				}
				pos := p.Fset.Position(c.Pos())
				for _, rule := range strings.Fields(rules) {
					keys = append(keys, fmt.Sprintf("%s:%d %s", filepath.Base(pos.Filename), pos.Line, rule))
				}
			}
		}
	}
	slices.Sort(keys)
	return keys
}
