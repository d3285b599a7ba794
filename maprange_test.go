package garage_test

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// mapRanges applies the map-range rule to one file. A range over a map (or
// over maps.Keys/Values/All of one) passes when its line, or the line
// above, carries "//det:ok <reason>", or when every statement of its body
// is order-insensitive (see orderFree): deleting the ranged key, writing
// another map at the ranged key, integer accumulation, assigning a
// constant, continue, an if of those with a pure condition, or appending
// to a slice that is sorted by the next statement that mentions it.
func (s *scanner) mapRanges(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		for i, st := range stmtList(n) {
			if l, isLabeled := st.(*ast.LabeledStmt); isLabeled {
				st = l.Stmt
			}
			rs, isRange := st.(*ast.RangeStmt)
			if !isRange || !s.rangesMap(rs.X) {
				continue
			}
			if s.orderFree(rs, stmtList(n)[i+1:]) {
				continue
			}
			s.report(rs.Pos(), "map-range", "range over map %s: iteration order can leak; sort the keys first or mark the line //det:ok <reason>", types.ExprString(rs.X))
		}
		return true
	})
}

// stmtList returns the statement list a node holds, if any.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// detOKLines returns the lines holding a "//det:ok <reason>" comment with
// a non-empty reason.
func detOKLines(fset *token.FileSet, f *ast.File) map[int]bool {
	lines := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			reason, found := strings.CutPrefix(c.Text, "//det:ok")
			if found && strings.HasPrefix(reason, " ") && strings.TrimSpace(reason) != "" {
				lines[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	return lines
}

// rangesMap reports whether e is a map (or of a type parameter that may be
// one), or a call of maps.Keys, maps.Values or maps.All (iterators in map
// order).
func (s *scanner) rangesMap(e ast.Expr) bool {
	if t := s.pkg.Info.TypeOf(e); t != nil && mayBeMap(t) {
		return true
	}
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch objectKey(orNil(s.pkg.Info.Uses[sel.Sel])) {
	case "maps.Keys", "maps.Values", "maps.All":
		return true
	}
	return false
}

// mayBeMap reports whether t is a map, or a type parameter whose type set
// holds a map.
func mayBeMap(t types.Type) bool {
	if tp, ok := t.(*types.TypeParam); ok {
		return setHasMap(tp.Constraint())
	}
	_, ok := t.Underlying().(*types.Map)
	return ok
}

// setHasMap reports whether the type set of constraint c holds a map.
func setHasMap(c types.Type) bool {
	iface, ok := c.Underlying().(*types.Interface)
	if !ok {
		_, isMap := c.Underlying().(*types.Map)
		return isMap
	}
	for i := range iface.NumEmbeddeds() {
		emb := iface.EmbeddedType(i)
		if u, isUnion := emb.(*types.Union); isUnion {
			for j := range u.Len() {
				if setHasMap(u.Term(j).Type()) {
					return true
				}
			}
		} else if setHasMap(emb) {
			return true
		}
	}
	return false
}

// orNil returns obj, or a placeholder object when obj is nil so objectKey
// can name it.
func orNil(obj types.Object) types.Object {
	if obj == nil {
		return types.NewVar(token.NoPos, types.NewPackage("", ""), "", nil)
	}
	return obj
}

// orderFree reports whether the body of rs cannot leak iteration order,
// given the statements that follow rs in its block.
func (s *scanner) orderFree(rs *ast.RangeStmt, rest []ast.Stmt) bool {
	c := &orderCheck{s: s, key: s.identObj(rs.Key),
		collected: map[types.Object]bool{}, written: map[types.Object]bool{}}
	if !c.stmts(rs.Body.List) || !c.independent() {
		return false
	}
	for obj := range c.collected {
		if !s.sortedNext(obj, rest) {
			return false
		}
	}
	return true
}

// identObj returns the object an identifier expression denotes, or nil.
func (s *scanner) identObj(e ast.Expr) types.Object {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	if obj := s.pkg.Info.Defs[id]; obj != nil {
		return obj
	}
	return s.pkg.Info.Uses[id]
}

// sortedNext reports whether the first statement of rest that mentions obj
// sorts it in place.
func (s *scanner) sortedNext(obj types.Object, rest []ast.Stmt) bool {
	for _, st := range rest {
		if !s.mentions(st, obj) {
			continue
		}
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			return false
		}
		c, ok := es.X.(*ast.CallExpr)
		if !ok || len(c.Args) == 0 || s.identObj(c.Args[0]) != obj {
			return false
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		return ok && sortFuncs()[objectKey(orNil(s.pkg.Info.Uses[sel.Sel]))]
	}
	return false
}

func sortFuncs() map[string]bool {
	return map[string]bool{
		"sort.Strings": true, "sort.Ints": true, "sort.Float64s": true,
		"sort.Slice": true, "sort.SliceStable": true, "sort.Sort": true, "sort.Stable": true,
		"slices.Sort": true, "slices.SortFunc": true, "slices.SortStableFunc": true,
	}
}

// mentions reports whether n uses obj.
func (s *scanner) mentions(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && s.pkg.Info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
