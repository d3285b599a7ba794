package guard

import (
	"go/ast"
	"go/types"
	"strconv"
)

// bannedObjects maps "pkgpath.Name" and "pkgpath.Type.Method" (see
// objectKey) to the rule a use of that object breaks.
type bannedObjects map[string]string

// add bans pkg.name for each name under rule.
func (b bannedObjects) add(rule, pkg string, names ...string) {
	for _, n := range names {
		b[pkg+"."+n] = rule
	}
}

// objectKey names obj as "pkgpath.Name" or, for a method,
// "pkgpath.Type.Method"; "" for an object of no package (a builtin, a
// universe type).
func objectKey(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil {
		return ""
	}
	fn, ok := obj.(*types.Func)
	if !ok {
		return obj.Pkg().Path() + "." + obj.Name()
	}
	fn = fn.Origin()
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	t := recv.Type()
	if p, isPtr := t.(*types.Pointer); isPtr {
		t = p.Elem()
	}
	if named, isNamed := t.(*types.Named); isNamed {
		return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// packageFunc returns the package path and name of obj when it is a
// package-level function (not a method).
func packageFunc(obj types.Object) (pkg, name string, ok bool) {
	fn, isFunc := obj.(*types.Func)
	if !isFunc || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return "", "", false
	}
	return fn.Pkg().Path(), fn.Name(), true
}

// eachUse calls f for every identifier of files that uses an object (a
// function, method, type, variable or constant declared elsewhere or
// here), in source order.
func eachUse(info *types.Info, files []*ast.File, f func(*ast.Ident, types.Object)) {
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if obj := info.Uses[id]; obj != nil {
					f(id, obj)
				}
			}
			return true
		})
	}
}

// eachImport calls f for every import of files with its path.
func eachImport(files []*ast.File, f func(*ast.ImportSpec, string)) {
	for _, file := range files {
		for _, spec := range file.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil {
				f(spec, path)
			}
		}
	}
}

// builtin returns the name of the builtin function c calls, or "".
func builtin(info *types.Info, c *ast.CallExpr) string {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

// calleeKey returns the objectKey of the function c calls through a
// selector (pkg.F or x.M), or "".
func calleeKey(info *types.Info, c *ast.CallExpr) string {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	return objectKey(info.Uses[sel.Sel])
}

func isChan(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}
