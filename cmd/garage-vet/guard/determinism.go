package guard

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Determinism returns the analyser of what the simulator cannot schedule
// or replay (DESIGN.md §3): goroutines, select, channels, the wall clock,
// global randomness, blocking sync primitives, context constructors that
// start timers or goroutines, and package-level mutable variables, shared
// by every node of a process.
func Determinism() *analysis.Analyzer {
	s := nodeScope()
	banned := determinismObjects()
	a := &analysis.Analyzer{
		Name: "determinism",
		Doc: "report goroutines, select, channels, wall-clock time, global randomness, blocking sync, " +
			"context timers and package-level variables in node code (DESIGN.md §3)",
		ResultType: reflect.TypeFor[Checked](),
		Run: scoped(s, func(r *reporter, files []*ast.File) {
			info := r.pass.TypesInfo
			eachImport(files, func(spec *ast.ImportSpec, path string) {
				if path == "crypto/rand" {
					r.report(spec.Pos(), "crypto-rand", "import %q", path)
				}
			})
			for _, f := range files {
				concurrency(r, f)
			}
			eachUse(info, files, func(id *ast.Ident, obj types.Object) {
				key := objectKey(obj)
				if rule := banned[key]; rule != "" {
					r.report(id.Pos(), rule, "use of %s", key)
				} else if pkg, name, ok := packageFunc(obj); ok && isGlobalRand(pkg, name) {
					r.report(id.Pos(), "global-rand", "use of %s", key)
				}
			})
			packageVars(r, files)
		}),
	}
	s.register(&a.Flags)
	return a
}

// determinismObjects lists the functions, methods and types whose use
// breaks a determinism rule. Global math/rand is apart (isGlobalRand).
func determinismObjects() bannedObjects {
	b := bannedObjects{}
	b.add("select-stmt", "reflect", "Select")
	b.add("chan-make", "reflect", "MakeChan", "ChanOf")
	b.add("sync-block", "sync", "NewCond", "Cond", "WaitGroup.Wait", "WaitGroup.Go")
	b.add("wall-time", "time", "Now", "Sleep", "After", "AfterFunc", "NewTimer", "NewTicker", "Tick", "Since", "Until")
	b.add("context-ctor", "context", "AfterFunc", "WithCancel", "WithCancelCause",
		"WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause")
	// Since Go 1.26 these ignore the reader they are given (unless
	// GODEBUG=cryptocustomrand=1) and read crypto/rand: nondeterministic
	// in the simulator whatever stream is passed.
	b.add("crypto-rand", "crypto/ecdsa", "GenerateKey", "SignASN1", "Sign", "PrivateKey.Sign")
	b.add("crypto-rand", "crypto/rsa", "GenerateKey", "GenerateMultiPrimeKey", "EncryptPKCS1v15")
	b.add("crypto-rand", "crypto/ecdh", "Curve.GenerateKey")
	b.add("crypto-rand", "crypto/dsa", "GenerateKey", "GenerateParameters", "Sign")
	return b
}

// isGlobalRand reports whether pkg.name is a package-level function of
// math/rand or math/rand/v2 that draws from the global generator: every
// one but the constructors of a generator from a source the caller passes.
func isGlobalRand(pkg, name string) bool {
	return (pkg == "math/rand" || pkg == "math/rand/v2") && !strings.HasPrefix(name, "New")
}

// concurrency reports go and select statements and channel operations,
// makes and types in one file.
func concurrency(r *reporter, f *ast.File) {
	info := r.pass.TypesInfo
	made := map[ast.Node]bool{} // chan types already reported as chan-make
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			r.report(n.Pos(), "go-stmt", "go statement")
		case *ast.SelectStmt:
			r.report(n.Pos(), "select-stmt", "select statement")
		case *ast.SendStmt:
			r.report(n.Pos(), "chan-op", "channel send")
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				r.report(n.Pos(), "chan-op", "channel receive")
			}
		case *ast.RangeStmt:
			if isChan(info, n.X) {
				r.report(n.Pos(), "chan-op", "range over a channel")
			}
		case *ast.CallExpr:
			chanCall(r, n, made)
		case *ast.ChanType:
			if !made[n] {
				r.report(n.Pos(), "chan-type", "channel type")
			}
		}
		return true
	})
}

// chanCall reports make(chan ...) and close(ch), and records the channel
// type of a make so it is not reported again as a chan-type.
func chanCall(r *reporter, c *ast.CallExpr, made map[ast.Node]bool) {
	info := r.pass.TypesInfo
	switch builtin(info, c) {
	case "make":
		if len(c.Args) > 0 && isChan(info, c.Args[0]) {
			made[ast.Unparen(c.Args[0])] = true
			r.report(c.Pos(), "chan-make", "make of a channel")
		}
	case "close":
		if len(c.Args) == 1 && isChan(info, c.Args[0]) {
			r.report(c.Pos(), "chan-op", "channel close")
		}
	}
}

// packageVars reports package-level variables: state every node of a
// process would share (all the nodes of a simulation), beyond the ports
// of rt. Blank variables (interface assertions) and sentinel errors, made
// by errors.New or fmt.Errorf, are allowed.
func packageVars(r *reporter, files []*ast.File) {
	for _, f := range files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					varSpec(r, spec.(*ast.ValueSpec))
				}
			}
		}
	}
}

func varSpec(r *reporter, vs *ast.ValueSpec) {
	for i, name := range vs.Names {
		if name.Name != "_" && !sentinel(r.pass.TypesInfo, vs, i) {
			r.report(name.Pos(), "package-var", "package-level variable %s", name.Name)
		}
	}
}

// sentinel reports whether the i-th variable of vs is initialised by
// errors.New or fmt.Errorf.
func sentinel(info *types.Info, vs *ast.ValueSpec, i int) bool {
	if len(vs.Values) != len(vs.Names) {
		return false
	}
	c, ok := vs.Values[i].(*ast.CallExpr)
	if !ok {
		return false
	}
	switch calleeKey(info, c) {
	case "errors.New", "fmt.Errorf":
		return true
	}
	return false
}
