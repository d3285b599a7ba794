// Package results is the writer side of every experiment: it creates
// results/<experiment>/ and writes into it tidy CSV tables (Table, typed
// columns with the unit in the header, byte-stable number formatting),
// meta.json (Meta: seed, parameters, world, commit, Go and module
// versions, wall and virtual time) and figure specs (plots/spec) that
// package plots draws from the directory alone. Progress reports the
// advance of long runs: a bar on a terminal, plain lines elsewhere.
//
// What it must not do: import package plots (experiments call it
// themselves once their tables are written) or anything of the project
// but plots/spec, the shared shape of a figure.
//
// Invariants: the same rows give the same CSV bytes — floats are written
// with a fixed number of decimals (or the shortest exact form), never in
// exponent notation, without negative zeros, and NaN or infinities are
// refused rather than written; an empty cell means "no value". Files are
// replaced atomically, so a reader never sees half a table.
package results
