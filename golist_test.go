package garage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// listedPackage is the part of `go list -json` the guards read.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	GoFiles      []string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Export       string
	Standard     bool
	DepOnly      bool
	Module       *struct{ Path string }
	Error        *struct{ Err string }
}

// goList runs `go list -e -json` with extra flags on patterns and decodes
// the stream of packages it prints.
func goList(t *testing.T, args ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-e", "-json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
}

// checkedPackage is one package parsed and type-checked for the scanner.
type checkedPackage struct {
	Path  string
	Fset  *token.FileSet
	Files []*ast.File
	Info  *types.Info
}

// loadChecked lists patterns with their dependencies' export data and
// type-checks every package the patterns name (not their dependencies)
// from source. Only the files of the current build configuration are
// loaded (GoFiles); test files are not.
func loadChecked(t *testing.T, patterns ...string) []checkedPackage {
	t.Helper()
	pkgs := goList(t, append([]string{"-export", "-deps"}, patterns...)...)
	exports := map[string]string{}
	for _, p := range pkgs {
		exports[p.ImportPath] = p.Export
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(exports[path])
	})
	var out []checkedPackage
	for _, p := range pkgs {
		if p.DepOnly {
			continue
		}
		if p.Error != nil {
			t.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
			continue
		}
		out = append(out, typeCheck(t, fset, imp, p))
	}
	return out
}

// typeCheck parses and type-checks one listed package. Type errors fail
// the test: the scanner cannot judge code it cannot type.
func typeCheck(t *testing.T, fset *token.FileSet, imp types.Importer, p listedPackage) checkedPackage {
	t.Helper()
	cp := checkedPackage{Path: p.ImportPath, Fset: fset, Info: newInfo()}
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		cp.Files = append(cp.Files, f)
	}
	conf := types.Config{Importer: imp, Error: func(err error) {
		t.Errorf("type-check %s: %v", p.ImportPath, err)
	}}
	_, _ = conf.Check(p.ImportPath, fset, cp.Files, cp.Info)
	return cp
}

// newInfo returns a types.Info recording what the scanner reads.
func newInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
}
