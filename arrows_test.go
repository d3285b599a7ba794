package garage_test

import (
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// designArrows is the import diagram of DESIGN.md §2, one entry per
// top-level area: A lists the areas it may import directly. An area may
// always import itself (its own subpackages), and "root" is the test-only
// package of the repository root.
func designArrows() map[string][]string {
	return map[string][]string{
		"root":        nil,
		"cmd":         {"experiments", "node"},
		"experiments": {"sim", "plots"},
		"sim":         {"node", "netem", "checker"},
		"node":        {"layout"},
		"layout":      nil,
		"netem":       nil,
		"checker":     nil,
		"plots":       nil,
	}
}

// allowedAreas closes the diagram transitively: an area may import what
// its arrows reach, directly or not (cmd reaches everything, node only
// layout, the leaves nothing). So node/host may not import netem: a
// real-mode shaper is injected from cmd.
func allowedAreas(arrows map[string][]string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for from := range arrows {
		seen := map[string]bool{from: true}
		todo := []string{from}
		for len(todo) > 0 {
			cur := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			for _, next := range arrows[cur] {
				if !seen[next] {
					seen[next] = true
					todo = append(todo, next)
				}
			}
		}
		out[from] = seen
	}
	return out
}

// area returns the top-level area of a package path inside module, and
// false for a path outside it.
func area(module, path string) (string, bool) {
	if path == module {
		return "root", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return "", false
	}
	first, _, _ := strings.Cut(rel, "/")
	return first, true
}

// importEdge is one production import of one package.
type importEdge struct{ From, To string }

// checkArrows returns one message per edge that breaks the diagram, in the
// order of edges. Imports outside module are not judged; a package of an
// area the diagram does not know is an error until the diagram names it.
func checkArrows(module string, arrows map[string][]string, edges []importEdge) []string {
	allowed := allowedAreas(arrows)
	var bad []string
	for _, e := range edges {
		from, _ := area(module, e.From)
		to, inModule := area(module, e.To)
		switch {
		case !inModule:
			continue
		case allowed[from] == nil:
			bad = append(bad, fmt.Sprintf("%s: area %q is not in the DESIGN.md §2 diagram (add it to designArrows)", e.From, from))
		case !allowed[from][to]:
			bad = append(bad, fmt.Sprintf("%s -> %s: %s may import only %s", e.From, e.To, from, areaList(allowed[from])))
		}
	}
	return bad
}

func areaList(set map[string]bool) string {
	var names []string
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// importSite finds where a package's files import path, as file:line, for
// the message of a broken arrow.
func importSite(dir string, files []string, path string) string {
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, spec := range f.Imports {
			if p, _ := strconv.Unquote(spec.Path.Value); p == path {
				return fset.Position(spec.Pos()).String()
			}
		}
	}
	return dir
}

func TestCheckArrows(t *testing.T) {
	const m = "example.com/g"
	tests := []struct {
		from, to string
		ok       bool
	}{
		{m + "/sim", m + "/node/table", true},
		{m + "/sim", m + "/layout", true}, // through node
		{m + "/sim/disk", m + "/checker", true},
		{m + "/experiments", m + "/plots", true},
		{m + "/experiments/results", m + "/plots/spec", true},
		{m + "/plots", m + "/plots/spec", true},
		{m + "/experiments", m + "/node/rt", true}, // through sim
		{m + "/cmd/garage", m + "/netem", true},
		{m + "/checker/model", m + "/checker", true},
		{m + "/node/table", m + "/node/rt", true},
		{m + "/node/table", "github.com/pingcap/failpoint", true},
		{m + "/node/table", m + "x/sim", true}, // another module
		{m + "/node/table", m + "/sim", false},
		{m + "/node/host", m + "/netem", false},
		{m + "/node", m + "/checker", false},
		{m + "/node/s3", m + "/plots", false},
		{m + "/node/s3", m + "/experiments", false},
		{m + "/layout", m + "/node/rt", false},
		{m + "/netem", m + "/layout", false},
		{m + "/checker", m + "/sim", false},
		{m + "/plots", m + "/checker", false},
		{m + "/plots/spec", m + "/experiments/results", false},
		{m + "/sim", m + "/experiments", false},
		{m + "/sim", m + "/plots", false},
		{m + "/experiments", m + "/cmd/garage", false},
		{m + "/internal/x", m + "/layout", false}, // unknown area
	}
	for _, tt := range tests {
		bad := checkArrows(m, designArrows(), []importEdge{{tt.from, tt.to}})
		if got := len(bad) == 0; got != tt.ok {
			t.Errorf("%s -> %s: allowed = %v, want %v (%v)", tt.from, tt.to, got, tt.ok, bad)
		}
	}
}

// TestAllowedAreasClosure checks the closure's laws on the design diagram:
// every area may import itself and its direct arrows, the relation is
// transitive, and node reaches layout only.
func TestAllowedAreasClosure(t *testing.T) {
	arrows := designArrows()
	allowed := allowedAreas(arrows)
	for a, direct := range arrows {
		if !allowed[a][a] {
			t.Errorf("%s may not import itself", a)
		}
		for _, b := range direct {
			if !allowed[a][b] {
				t.Errorf("%s -> %s is drawn but not allowed", a, b)
			}
		}
		for b := range allowed[a] {
			for c := range allowed[b] {
				if !allowed[a][c] {
					t.Errorf("not transitive: %s -> %s -> %s", a, b, c)
				}
			}
		}
	}
	if got, want := areaList(allowed["node"]), "layout, node"; got != want {
		t.Errorf("node may import %s, want %s", got, want)
	}
	if got, want := len(allowed["cmd"]), len(arrows)-1; got != want { // all but root
		t.Errorf("cmd may import %d areas, want %d", got, want)
	}
}

func TestImportSite(t *testing.T) {
	dir := filepath.Join("testdata", "violations")
	files := []string{"clock.go", "io.go"}
	tests := []struct{ path, want string }{
		{"net/http", filepath.Join(dir, "io.go") + ":8:2"},
		{"time", filepath.Join(dir, "clock.go") + ":5:2"},
		{"unimported/pkg", dir},
	}
	for _, tt := range tests {
		if got := importSite(dir, files, tt.path); got != tt.want {
			t.Errorf("importSite(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
