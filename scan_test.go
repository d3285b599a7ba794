package garage_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// ruleDocs names every rule of the node source scan (DESIGN.md §3) with
// what it bans. The planted-violation fixture must trip each one.
func ruleDocs() map[string]string {
	return map[string]string{
		"go-stmt":          "go statement (use env.Tasks.Spawn)",
		"select-stmt":      "select statement or reflect.Select (use rt.Event, rt.Future, rt.Quorum)",
		"chan-op":          "channel send, receive, close or range over a channel",
		"chan-make":        "make(chan ...) or reflect.MakeChan/ChanOf",
		"chan-type":        "channel type in a declaration",
		"wall-time":        "time.Now/Sleep/After/AfterFunc/NewTimer/NewTicker/Tick/Since/Until (use env.Clock)",
		"global-rand":      "math/rand or math/rand/v2 package-level randomness (use env.Rand)",
		"crypto-rand":      "crypto/rand import, or a crypto function that ignores its random reader since Go 1.26 and reads crypto/rand (use env.Rand; derive keys from seeds)",
		"os-io":            "os, os/..., syscall or io/ioutil import, filepath functions that touch the file system (use env.KV, env.Files)",
		"net-io":           "net or net/... import (use env.Net; net/url and net/netip are pure and allowed; net/http only in allowlisted packages)",
		"stdio":            "fmt.Print*, package-level log and slog output (use env.Log)",
		"sync-block":       "sync.WaitGroup.Wait/Go, sync.Cond (use rt.Event, rt.Quorum)",
		"context-ctor":     "context.AfterFunc/WithCancel*/WithTimeout*/WithDeadline* (use env.Tasks.WithCancel/WithTimeout)",
		"map-range":        "range over a map (or maps.Keys/Values/All, sync.Map.Range, reflect map iteration) whose order can leak; sort keys first or mark the line //det:ok <reason>",
		"failpoint-marker": "failpoint.Inject and the other code-rewriting markers (they do nothing without rewriting; use node/fail.Hit)",
		"failpoint-direct": "import of github.com/pingcap/failpoint outside node/fail (use env.Faults)",
	}
}

// finding is one breach of a rule at one place.
type finding struct {
	Pos  token.Position
	Rule string
	Msg  string
}

func (f finding) String() string { return fmt.Sprintf("%s: [%s] %s", f.Pos, f.Rule, f.Msg) }

// scanConfig says which exceptions the scan grants.
type scanConfig struct {
	// HTTPAllowed holds the import paths of the packages that may import
	// net/http and its subpackages: the S3, admin and web HTTP adapters.
	HTTPAllowed map[string]bool
	// FailpointPkg is the one package that may import pingcap/failpoint.
	FailpointPkg string
}

// scanner collects the findings of one package.
type scanner struct {
	cfg   scanConfig
	pkg   checkedPackage
	detOK map[string]map[int]bool // file name -> lines with //det:ok <reason>
	found []finding
}

// scanPackage applies every rule to one type-checked package and returns
// the findings sorted by position.
func scanPackage(cfg scanConfig, p checkedPackage) []finding {
	s := &scanner{cfg: cfg, pkg: p, detOK: map[string]map[int]bool{}}
	for _, f := range p.Files {
		s.detOK[p.Fset.Position(f.Pos()).Filename] = detOKLines(p.Fset, f)
	}
	for _, f := range p.Files {
		s.imports(f)
		s.syntax(f)
		s.mapRanges(f)
	}
	s.objects()
	slices.SortFunc(s.found, func(a, b finding) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return s.found
}

// report records a finding, unless it is a map-range finding on or just
// below a line marked //det:ok <reason>.
func (s *scanner) report(pos token.Pos, rule, format string, args ...any) {
	at := s.pkg.Fset.Position(pos)
	ok := s.detOK[at.Filename]
	if rule == "map-range" && (ok[at.Line] || ok[at.Line-1]) {
		return
	}
	s.found = append(s.found, finding{Pos: at, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// imports applies the import rules to one file.
func (s *scanner) imports(f *ast.File) {
	for _, spec := range f.Imports {
		path := strings.Trim(spec.Path.Value, `"`)
		if rule := s.importRule(path); rule != "" {
			s.report(spec.Pos(), rule, "import %q", path)
		}
	}
}

// syntax applies the rules on goroutines and channels to one file.
func (s *scanner) syntax(f *ast.File) {
	made := map[ast.Node]bool{} // chan types already reported as chan-make
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			s.report(n.Pos(), "go-stmt", "go statement")
		case *ast.SelectStmt:
			s.report(n.Pos(), "select-stmt", "select statement")
		case *ast.SendStmt:
			s.report(n.Pos(), "chan-op", "channel send")
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				s.report(n.Pos(), "chan-op", "channel receive")
			}
		case *ast.RangeStmt:
			if s.isChan(n.X) {
				s.report(n.Pos(), "chan-op", "range over a channel")
			}
		case *ast.CallExpr:
			s.call(n, made)
		case *ast.ChanType:
			if !made[n] {
				s.report(n.Pos(), "chan-type", "channel type")
			}
		}
		return true
	})
}

// call reports make(chan ...) and close(ch).
func (s *scanner) call(c *ast.CallExpr, made map[ast.Node]bool) {
	switch s.builtin(c) {
	case "make":
		if len(c.Args) > 0 && s.isChan(c.Args[0]) {
			made[ast.Unparen(c.Args[0])] = true
			s.report(c.Pos(), "chan-make", "make of a channel")
		}
	case "close":
		if len(c.Args) == 1 && s.isChan(c.Args[0]) {
			s.report(c.Pos(), "chan-op", "channel close")
		}
	}
}

// builtin returns the name of the builtin c calls, or "".
func (s *scanner) builtin(c *ast.CallExpr) string {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := s.pkg.Info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

func (s *scanner) isChan(e ast.Expr) bool {
	t := s.pkg.Info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// objects applies the rules on used functions, methods and types.
func (s *scanner) objects() {
	for id, obj := range s.pkg.Info.Uses {
		if rule, what := objectRule(obj); rule != "" {
			s.report(id.Pos(), rule, "use of %s", what)
		}
	}
}
