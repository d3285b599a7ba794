// Package failpoint is a stub of github.com/pingcap/failpoint for the
// fixtures: the names the analysers judge, with no behaviour.
package failpoint

import "context"

// Value is the value of an armed failpoint.
type Value any

func Eval(name string) (Value, error)                             { return nil, nil }
func EvalContext(ctx context.Context, name string) (Value, error) { return nil, nil }
func Enable(name, terms string) error                             { return nil }
func Disable(name string) error                                   { return nil }
func Inject(name string, fn any)                                  {}
func InjectContext(ctx context.Context, name string, fn any)      {}
func Return(result ...any)                                        {}
func Label(label string)                                          {}
func Break(label ...string)                                       {}
