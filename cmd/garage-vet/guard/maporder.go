package guard

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// MapOrder returns the analyser of map iteration whose order can leak
// into behaviour (DESIGN.md §3): a range over a map, over maps.Keys,
// Values or All of one, sync.Map.Range and reflect's map iteration. A
// range passes when its body is order-insensitive (see orderFree), or
// when its line or the line above carries "//det:ok <reason>".
func MapOrder() *analysis.Analyzer {
	s := nodeScope()
	banned := bannedObjects{}
	banned.add("map-range", "sync", "Map.Range")
	banned.add("map-range", "reflect", "Value.MapKeys", "Value.MapRange")
	a := &analysis.Analyzer{
		Name:       "maporder",
		Doc:        "report map iteration whose order can leak, unless sorted after or marked //det:ok <reason> (DESIGN.md §3)",
		ResultType: reflect.TypeFor[Checked](),
		Run: scoped(s, func(r *reporter, files []*ast.File) {
			for _, f := range files {
				m := &mapRanges{r: r, info: r.pass.TypesInfo, detOK: detOKLines(r.pass.Fset, f)}
				m.file(f)
				eachUse(m.info, []*ast.File{f}, func(id *ast.Ident, obj types.Object) {
					if key := objectKey(obj); banned[key] != "" {
						m.report(id.Pos(), "iteration by %s", key)
					}
				})
			}
		}),
	}
	s.register(&a.Flags)
	return a
}

// mapRanges judges the map iterations of one file.
type mapRanges struct {
	r     *reporter
	info  *types.Info
	detOK map[int]bool // lines with //det:ok <reason>
}

// report reports a map-range diagnostic, unless its line or the line
// above carries //det:ok <reason>.
func (m *mapRanges) report(pos token.Pos, format string, args ...any) {
	line := m.r.pass.Fset.Position(pos).Line
	if m.detOK[line] || m.detOK[line-1] {
		return
	}
	m.r.report(pos, "map-range", format, args...)
}

// file reports the ranges over maps of f that are not order-free.
func (m *mapRanges) file(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		list := stmtList(n)
		for i, st := range list {
			if l, isLabeled := st.(*ast.LabeledStmt); isLabeled {
				st = l.Stmt
			}
			rs, isRange := st.(*ast.RangeStmt)
			if !isRange || !m.rangesMap(rs.X) || m.orderFree(rs, list[i+1:]) {
				continue
			}
			m.report(rs.Pos(), "range over map %s: iteration order can leak", types.ExprString(rs.X))
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
func (m *mapRanges) rangesMap(e ast.Expr) bool {
	if t := m.info.TypeOf(e); t != nil && mayBeMap(t) {
		return true
	}
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	switch calleeKey(m.info, c) {
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

// orderFree reports whether the body of rs cannot leak iteration order,
// given the statements that follow rs in its block.
func (m *mapRanges) orderFree(rs *ast.RangeStmt, rest []ast.Stmt) bool {
	c := &orderCheck{info: m.info, key: identObj(m.info, rs.Key),
		collected: map[types.Object]bool{}, written: map[types.Object]bool{}}
	if !c.stmts(rs.Body.List) || !c.independent() {
		return false
	}
	for obj := range c.collected {
		if !sortedNext(m.info, obj, rest) {
			return false
		}
	}
	return true
}

// identObj returns the object an identifier expression denotes, or nil.
func identObj(info *types.Info, e ast.Expr) types.Object {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	if obj := info.Defs[id]; obj != nil {
		return obj
	}
	return info.Uses[id]
}

// sortedNext reports whether the first statement of rest that mentions obj
// sorts it in place.
func sortedNext(info *types.Info, obj types.Object, rest []ast.Stmt) bool {
	for _, st := range rest {
		if !mentions(info, st, obj) {
			continue
		}
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			return false
		}
		c, ok := es.X.(*ast.CallExpr)
		if !ok || len(c.Args) == 0 || identObj(info, c.Args[0]) != obj {
			return false
		}
		switch calleeKey(info, c) {
		case "sort.Strings", "sort.Ints", "sort.Float64s", "sort.Slice", "sort.SliceStable", "sort.Sort", "sort.Stable",
			"slices.Sort", "slices.SortFunc", "slices.SortStableFunc":
			return true
		}
		return false
	}
	return false
}

// mentions reports whether n uses obj.
func mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
