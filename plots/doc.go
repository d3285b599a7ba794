// Package plots turns experiment CSV files into PNG and SVG figures.
// It imports no other package of the project: it reads CSV only.
package plots
