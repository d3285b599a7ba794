package guard

import (
	"go/ast"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Arrows returns the analyser of the import diagram of DESIGN.md §2: a
// package of the module (-module) may import, in its production files, a
// package of its own area or of an area its arrows reach. Imports from
// outside the module are not judged; test files are exempt, as a node
// package's external test may run it in the simulator.
func Arrows() *analysis.Analyzer {
	module := Module
	allowed := allowedAreas(designArrows())
	a := &analysis.Analyzer{
		Name:       "arrows",
		Doc:        "report production imports that break the package arrows of DESIGN.md §2",
		ResultType: reflect.TypeFor[Checked](),
		Run: func(pass *analysis.Pass) (any, error) {
			from, inModule := area(module, pass.Pkg.Path())
			if !inModule {
				return Checked{}, nil
			}
			r, files := newReporter(pass), productionFiles(pass)
			eachImport(files, func(spec *ast.ImportSpec, path string) {
				to, inModule := area(module, path)
				switch {
				case !inModule:
				case allowed[from] == nil:
					r.report(spec.Pos(), "arrow", "%s: area %q is not in the diagram (add it to designArrows)", pass.Pkg.Path(), from)
				case !allowed[from][to]:
					r.report(spec.Pos(), "arrow", "%s -> %s: %s may import only %s", pass.Pkg.Path(), path, from, areaList(allowed[from]))
				}
			})
			return Checked{Files: len(files)}, nil
		},
	}
	a.Flags.StringVar(&module, "module", module, "module path whose packages the diagram judges")
	return a
}

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

func areaList(set map[string]bool) string {
	var names []string
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
