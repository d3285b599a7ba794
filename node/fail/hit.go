package fail

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Eval asks f (which may be nil) whether the named point fires now, and if
// so with which value.
func Eval(f rt.Faults, name string) (any, bool) {
	if f == nil {
		return nil, false
	}
	return f.Eval(name)
}

// Hit evaluates the named point on f (which may be nil) and acts on what it
// fires with: see Apply. It returns nil when the point does not fire.
func Hit(ctx context.Context, f rt.Faults, c rt.Clock, name string) error {
	v, ok := Eval(f, name)
	if !ok {
		return nil
	}
	return Apply(ctx, c, name, v)
}

// Apply acts on value v fired by the named point: a nil value does
// nothing; an error is returned wrapped with the point's name; a Delay
// sleeps on c (returning the wrapped context error if ctx ends first); a
// Crash panics with Crash{Point: name}; any other value becomes an
// *rt.FailpointError.
func Apply(ctx context.Context, c rt.Clock, name string, v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case error:
		return fmt.Errorf("failpoint %s: %w", name, v)
	case Delay:
		if err := c.Sleep(ctx, time.Duration(v)); err != nil {
			return fmt.Errorf("failpoint %s delay: %w", name, err)
		}
		return nil
	case Crash:
		panic(Crash{Point: name})
	}
	return &rt.FailpointError{Name: name, Value: v}
}

// Decode turns the string values of real-mode terms into typed values:
// "crash" is Crash{}, "delay:<duration>" a Delay (time.ParseDuration
// syntax), "error:<msg>" Err(msg). Other values, including strings that
// do not parse, are returned unchanged.
func Decode(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	switch {
	case s == "crash":
		return Crash{}
	case strings.HasPrefix(s, "delay:"):
		d, err := time.ParseDuration(strings.TrimPrefix(s, "delay:"))
		if err != nil {
			return v
		}
		return Delay(d)
	case strings.HasPrefix(s, "error:"):
		return Err(strings.TrimPrefix(s, "error:"))
	}
	return v
}
