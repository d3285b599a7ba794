package guard

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Module is the module path of the project, the root of every default
// scope.
const Module = "github.com/gogarage/garage"

// Analyzers returns a fresh instance of every analyser, each with its
// flags at the project's defaults.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{Determinism(), NodeIO(), MapOrder(), Failpoints(), Arrows()}
}

// Checked is the result of every analyser on one package: how many
// production files it judged. Zero means the package lies outside the
// analyser's scope or has only test files; a caller uses it to prove a
// run was not vacuous.
type Checked struct{ Files int }

// Rules names every rule a diagnostic can start with, and what node code
// does instead.
func Rules() map[string]string {
	return map[string]string{
		"go-stmt":          "use env.Tasks.Spawn",
		"select-stmt":      "use rt.Event, rt.Future, rt.Quorum",
		"chan-op":          "use rt.Event, rt.Future, rt.Quorum",
		"chan-make":        "use rt.Event, rt.Future, rt.Quorum",
		"chan-type":        "use rt.Event, rt.Future, rt.Quorum",
		"wall-time":        "use env.Clock",
		"global-rand":      "use env.Rand",
		"crypto-rand":      "use env.Rand; derive keys from seeds",
		"sync-block":       "use rt.Event, rt.Quorum",
		"context-ctor":     "use env.Tasks.WithCancel/WithTimeout",
		"package-var":      "no package-level mutable state: pass it in as a value",
		"os-io":            "use env.KV, env.Files",
		"net-io":           "use env.Net; net/url and net/netip are pure, net/http is for the HTTP adapters",
		"stdio":            "use env.Log",
		"map-range":        "sort the keys first or mark the line //det:ok <reason>",
		"failpoint-marker": "markers do nothing without code rewriting; use node/fail",
		"failpoint-direct": "use env.Faults",
		"arrow":            "DESIGN.md §2",
	}
}

// reporter reports the diagnostics of one pass, each prefixed by its rule
// and followed by the rule's advice.
type reporter struct {
	pass   *analysis.Pass
	advice map[string]string
}

func newReporter(pass *analysis.Pass) *reporter {
	return &reporter{pass: pass, advice: Rules()}
}

func (r *reporter) report(pos token.Pos, rule, format string, args ...any) {
	advice, ok := r.advice[rule]
	if !ok {
		panic(fmt.Sprintf("guard: unknown rule %q", rule))
	}
	r.pass.Report(analysis.Diagnostic{
		Pos:      pos,
		Category: rule,
		Message:  fmt.Sprintf("%s: %s (%s)", rule, fmt.Sprintf(format, args...), advice),
	})
}

// productionFiles returns the files of the pass that are not test files:
// none of a test main (the package "p.test" that go test generates), the
// files not named *_test.go of any other.
func productionFiles(pass *analysis.Pass) []*ast.File {
	if strings.HasSuffix(pass.Pkg.Path(), ".test") {
		return nil
	}
	var out []*ast.File
	for _, f := range pass.Files {
		if !strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go") {
			out = append(out, f)
		}
	}
	return out
}

// scoped returns the Run function of an analyser that applies check to
// the production files of the packages s covers.
func scoped(s *scope, check func(*reporter, []*ast.File)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		if !s.covers(pass.Pkg.Path()) {
			return Checked{}, nil
		}
		files := productionFiles(pass)
		check(newReporter(pass), files)
		return Checked{Files: len(files)}, nil
	}
}
