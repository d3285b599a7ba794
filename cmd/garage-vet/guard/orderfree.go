package guard

import (
	"go/ast"
	"go/token"
	"go/types"
)

// orderCheck judges the statements of one map-range body. The
// order-insensitive forms are: deleting the ranged key, writing another
// map at the ranged key, integer accumulation, assigning a constant,
// continue, an if of those with a pure condition, and appending pure
// values to a slice that the next statement mentioning it sorts.
type orderCheck struct {
	info      *types.Info
	key       types.Object          // the ranged key variable, if named
	collected map[types.Object]bool // slices appended to, to be sorted after
	written   map[types.Object]bool // roots of every variable the body writes
	reads     []ast.Expr            // expressions the body reads
}

// independent reports whether no expression the body reads mentions a
// variable the body writes: otherwise one iteration sees another's effect
// (a condition on a counter, a sum of sums), and order leaks.
func (c *orderCheck) independent() bool {
	for _, e := range c.reads {
		for obj := range c.written {
			if mentions(c.info, e, obj) {
				return false
			}
		}
	}
	return true
}

// write records the root variable of lvalue e, and its index expressions
// as reads.
func (c *orderCheck) write(e ast.Expr) {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			c.reads = append(c.reads, x.Index)
			e = x.X
		default:
			if obj := identObj(c.info, e); obj != nil {
				c.written[obj] = true
			}
			return
		}
	}
}

func (c *orderCheck) read(es ...ast.Expr) { c.reads = append(c.reads, es...) }

func (c *orderCheck) stmts(list []ast.Stmt) bool {
	for _, st := range list {
		if !c.stmt(st) {
			return false
		}
	}
	return true
}

// stmt reports whether st is one of the order-insensitive forms.
func (c *orderCheck) stmt(st ast.Stmt) bool {
	switch st := st.(type) {
	case *ast.EmptyStmt:
		return true
	case *ast.BranchStmt:
		return st.Tok == token.CONTINUE && st.Label == nil
	case *ast.IncDecStmt:
		c.write(st.X)
		return c.integer(st.X) && c.pure(st.X)
	case *ast.ExprStmt:
		return c.deleteKey(st.X)
	case *ast.AssignStmt:
		return c.assign(st)
	case *ast.IfStmt:
		c.read(st.Cond)
		return st.Init == nil && c.pure(st.Cond) && c.stmts(st.Body.List) &&
			(st.Else == nil || c.stmt(st.Else))
	case *ast.BlockStmt:
		return c.stmts(st.List)
	}
	return false
}

// deleteKey reports whether e is delete(m, key) of the ranged key.
func (c *orderCheck) deleteKey(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || builtin(c.info, call) != "delete" || len(call.Args) != 2 {
		return false
	}
	c.write(call.Args[0])
	return c.pure(call.Args[0]) && c.isKey(call.Args[1])
}

// assign accepts integer accumulation (x += e and the like), a constant
// assigned, a map written at the ranged key, and s = append(s, ...).
func (c *orderCheck) assign(a *ast.AssignStmt) bool {
	if len(a.Lhs) != 1 || len(a.Rhs) != 1 || !c.pure(a.Lhs[0]) {
		return false
	}
	lhs, rhs := a.Lhs[0], a.Rhs[0]
	c.write(lhs)
	switch a.Tok {
	case token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.OR_ASSIGN, token.AND_ASSIGN, token.XOR_ASSIGN:
		c.read(rhs)
		return c.integer(lhs) && c.pure(rhs)
	case token.ASSIGN:
		if c.constant(rhs) || c.appendTo(lhs, rhs) {
			return true
		}
		c.read(rhs)
		return c.mapAtKey(lhs) && c.pure(rhs)
	}
	return false
}

func (c *orderCheck) constant(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	return ok && tv.Value != nil
}

// mapAtKey reports whether e is m[key] for a map m and the ranged key.
func (c *orderCheck) mapAtKey(e ast.Expr) bool {
	ix, ok := e.(*ast.IndexExpr)
	if !ok || !c.isKey(ix.Index) {
		return false
	}
	t := c.info.TypeOf(ix.X)
	if t == nil {
		return false
	}
	_, isMap := t.Underlying().(*types.Map)
	return isMap
}

// appendTo accepts s = append(s, pure...) and records s as to be sorted.
func (c *orderCheck) appendTo(lhs, rhs ast.Expr) bool {
	obj := identObj(c.info, lhs)
	call, ok := rhs.(*ast.CallExpr)
	if obj == nil || !ok || builtin(c.info, call) != "append" || call.Ellipsis.IsValid() {
		return false
	}
	if len(call.Args) < 2 || identObj(c.info, call.Args[0]) != obj {
		return false
	}
	for _, arg := range call.Args[1:] {
		if !c.pure(arg) {
			return false
		}
	}
	c.read(call.Args[1:]...)
	c.collected[obj] = true
	return true
}

func (c *orderCheck) isKey(e ast.Expr) bool {
	return c.key != nil && identObj(c.info, e) == c.key
}

func (c *orderCheck) integer(e ast.Expr) bool {
	t := c.info.TypeOf(e)
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// pure reports whether evaluating e has no side effects and reads no
// state beyond variables: no calls but conversions and the builtins len,
// cap, min and max, no receives, no function literals.
func (c *orderCheck) pure(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false
		case *ast.UnaryExpr:
			ok = ok && n.Op != token.ARROW
		case *ast.CallExpr:
			ok = ok && c.pureCall(n)
		}
		return ok
	})
	return ok
}

func (c *orderCheck) pureCall(call *ast.CallExpr) bool {
	if tv, ok := c.info.Types[call.Fun]; ok && tv.IsType() {
		return true
	}
	switch builtin(c.info, call) {
	case "len", "cap", "min", "max":
		return true
	}
	return false
}
