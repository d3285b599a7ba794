// Package plots draws the figures of experiments from their CSV alone.
//
// An experiment leaves in results/<name>/ tidy CSV files (a header row
// whose column names carry their units, e.g. endpoint,mean_ms,min_ms;
// one observation per row) and one JSON spec per figure (figure.json or
// <name>.figure.json, in the shape of package plots/spec). Render(dir)
// draws every spec of dir into <name>.png and <name>.svg beside it, so a
// figure can be redrawn from the directory alone, long after the run.
//
// The figure kinds, each a function of a spec and a parsed Table:
// Bars (grouped bars with min–max error bars, log y optional), Lines
// (y against x per series, markers, log axes), TimeSeries (stacked panels
// on one time axis over shaded fault windows), HeatMap (categorical grid
// with values in the cells and a colour bar), CDF and Box.
//
// What it must not do: import any other package of the project (it reads
// CSV, nothing else; plots/spec is part of it), or read system fonts. All
// text is Liberation Sans, compiled into the binary, at fixed sizes, from
// a font cache each chart owns.
//
// Invariants: the SVG of a chart is a function of the CSV, the spec and
// the output size only — no timestamps, random ids or map order — and the
// tests pin it by hash (testdata/*.svg.sha256, rewritten with -update).
// Errors about the data name the file, line and column of the cell.
package plots
