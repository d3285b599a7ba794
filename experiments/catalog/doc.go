// Package catalog lists the named experiments, in the order `garage-sim
// experiment all` runs them, and holds the tests that run them all: every
// simulated experiment at its CI size with its goals judged and the
// SHA-256 of its CSV and SVG files pinned (testdata/golden.sha256,
// rewritten with -update), and the target world against a cluster started
// apart on loopback.
//
// What it must not do: hold anything but the list; an experiment lives in
// its own package.
package catalog
