package determinism

import (
	"errors"
	"fmt"
)

var counter int // want "package-var: package-level variable counter"

var (
	cache          = map[string]int{} // want "package-var: package-level variable cache"
	first, second  = 1, 2             // want "package-var: package-level variable first" "package-var: package-level variable second"
	errNotSentinel = wrap()           // want "package-var: package-level variable errNotSentinel"
)

func wrap() error { return errors.New("x") }

// Sentinel errors and interface assertions are allowed.
var (
	ErrGone  = errors.New("gone")
	ErrWhere = fmt.Errorf("where: %w", ErrGone)
)

var _ fmt.Stringer = name("")

type name string

func (n name) String() string { return string(n) }

// Constants, and variables inside functions, are fine.
const limit = 3

func local() int {
	var n = limit
	return n + counter + len(cache) + first + second
}
