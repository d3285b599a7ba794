// Package spec is the JSON shape of a figure: which CSV file it draws,
// which columns hold the categories, values, error bars and series, and
// the titles, axis labels and units. It is the one definition both sides
// share: experiments (through experiments/results) write a spec as
// <name>.figure.json next to their CSV, and plots reads it back to draw.
//
// The package holds types and their validation only. It imports the
// standard library alone, so the writer side does not pull in the
// drawing library, and plots stays free of project packages.
//
// Invariant: a Figure that passes Validate names exactly one figure kind
// and every column that kind needs; whether those columns exist in the
// CSV is for the reader (plots) to check.
package spec
