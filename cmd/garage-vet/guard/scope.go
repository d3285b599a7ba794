package guard

import (
	"flag"
	"fmt"
	"strings"
)

// patterns is a comma-separated list of package patterns, usable as a
// flag: "p" matches the package p, "p/..." matches p and every package
// below it.
type patterns []string

func (ps *patterns) String() string { return strings.Join(*ps, ",") }

func (ps *patterns) Set(s string) error {
	var out patterns
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if strings.Contains(strings.TrimSuffix(p, "/..."), "...") {
			return fmt.Errorf("pattern %q: ... is allowed only as a final /...", p)
		}
		out = append(out, p)
	}
	*ps = out
	return nil
}

func (ps patterns) match(path string) bool {
	for _, p := range ps {
		if dir, tree := strings.CutSuffix(p, "/..."); tree {
			if path == dir || strings.HasPrefix(path, dir+"/") {
				return true
			}
		} else if path == p {
			return true
		}
	}
	return false
}

// scope is the set of packages a node analyser judges: those include
// matches and exempt does not.
type scope struct{ include, exempt patterns }

// nodeScope is the default scope of the node rules of DESIGN.md §3:
// node/ but the real driver, node/host and node/daemon (which wires the
// real ports into a process).
func nodeScope() *scope {
	return &scope{
		include: patterns{Module + "/node/..."},
		exempt:  patterns{Module + "/node/host/...", Module + "/node/daemon/..."},
	}
}

func (s *scope) register(fs *flag.FlagSet) {
	fs.Var(&s.include, "scope", "comma-separated packages to judge (p, or p/... for p and below)")
	fs.Var(&s.exempt, "exempt", "comma-separated packages of the scope to leave alone: the real driver")
}

func (s *scope) covers(path string) bool { return s.include.match(path) && !s.exempt.match(path) }
