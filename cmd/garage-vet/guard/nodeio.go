package guard

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// NodeIO returns the analyser of the real world reached around the ports
// of rt (DESIGN.md §3): imports of os, syscall and net, file-system
// functions of path/filepath, and output to stdout or the global loggers.
// net/url and net/netip are pure and allowed; net/http is allowed in the
// packages of the -http flag, the HTTP adapters of the S3, admin and web
// services.
func NodeIO() *analysis.Analyzer {
	s := nodeScope()
	httpOK := patterns{Module + "/node/admin", Module + "/node/s3http", Module + "/node/web"} // the HTTP adapters: name each here as it is written
	banned := nodeIOObjects()
	a := &analysis.Analyzer{
		Name:       "nodeio",
		Doc:        "report os, syscall, net and file-system access and stdout or global logging in node code (DESIGN.md §3)",
		ResultType: reflect.TypeFor[Checked](),
		Run: scoped(s, func(r *reporter, files []*ast.File) {
			http := httpOK.match(r.pass.Pkg.Path())
			eachImport(files, func(spec *ast.ImportSpec, path string) {
				if rule := importIORule(path, http); rule != "" {
					r.report(spec.Pos(), rule, "import %q", path)
				}
			})
			eachUse(r.pass.TypesInfo, files, func(id *ast.Ident, obj types.Object) {
				key := objectKey(obj)
				if rule := banned[key]; rule != "" {
					r.report(id.Pos(), rule, "use of %s", key)
				} else if pkg, name, ok := packageFunc(obj); ok && pkg == "log" && name != "New" {
					r.report(id.Pos(), "stdio", "use of %s", key)
				}
			})
		}),
	}
	s.register(&a.Flags)
	a.Flags.Var(&httpOK, "http", "comma-separated packages of the scope that may import net/http: the HTTP adapters")
	return a
}

// importIORule returns the rule an import of path breaks, or "". http
// says whether the importing package may use net/http.
func importIORule(path string, http bool) string {
	switch {
	case path == "os" || strings.HasPrefix(path, "os/") || path == "syscall" || path == "io/ioutil":
		return "os-io"
	case path == "net/url" || path == "net/netip":
		return "" // pure parsing, no I/O
	case path == "net/http" || strings.HasPrefix(path, "net/http/"):
		if http {
			return ""
		}
		return "net-io"
	case path == "net" || strings.HasPrefix(path, "net/"):
		return "net-io"
	}
	return ""
}

// nodeIOObjects lists the functions that reach the file system or print.
// The package-level output of log is apart (every function but log.New).
func nodeIOObjects() bannedObjects {
	b := bannedObjects{}
	b.add("os-io", "path/filepath", "Abs", "EvalSymlinks", "Glob", "Walk", "WalkDir")
	b.add("stdio", "fmt", "Print", "Printf", "Println")
	b.add("stdio", "log/slog", "Default", "SetDefault", "Debug", "Info", "Warn", "Error", "Log", "LogAttrs",
		"DebugContext", "InfoContext", "WarnContext", "ErrorContext", "SetLogLoggerLevel")
	return b
}
