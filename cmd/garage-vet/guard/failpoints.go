package guard

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// failpointPath is the failpoint library of DESIGN.md §5.
const failpointPath = "github.com/pingcap/failpoint"

// Failpoints returns the analyser of failpoint use (DESIGN.md §5): the
// code-rewriting markers (failpoint.Inject and kin) do nothing without
// rewriting and are banned; the library is imported only by its wrapper
// package (-wrapper, node/fail by default), node code reaching it through
// env.Faults.
func Failpoints() *analysis.Analyzer {
	s := nodeScope()
	wrapper := Module + "/node/fail"
	banned := bannedObjects{}
	banned.add("failpoint-marker", failpointPath,
		"Inject", "InjectContext", "InjectCall", "Break", "Goto", "Continue", "Fallthrough", "Return", "Label")
	a := &analysis.Analyzer{
		Name:       "failpoints",
		Doc:        "report failpoint markers, and imports of pingcap/failpoint outside node/fail (DESIGN.md §5)",
		ResultType: reflect.TypeFor[Checked](),
		Run: scoped(s, func(r *reporter, files []*ast.File) {
			eachImport(files, func(spec *ast.ImportSpec, path string) {
				if path == failpointPath && r.pass.Pkg.Path() != wrapper {
					r.report(spec.Pos(), "failpoint-direct", "import %q outside %s", path, wrapper)
				}
			})
			eachUse(r.pass.TypesInfo, files, func(id *ast.Ident, obj types.Object) {
				if key := objectKey(obj); banned[key] != "" {
					r.report(id.Pos(), banned[key], "use of %s", key)
				}
			})
		}),
	}
	s.register(&a.Flags)
	a.Flags.StringVar(&wrapper, "wrapper", wrapper, "the one package of the scope that may import "+failpointPath)
	return a
}
