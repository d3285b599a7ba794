// Package plots will turn experiment CSV files into PNG and SVG figures
// (gonum/plot). It is empty today: no experiment writes CSV yet. It must
// import no other package of the project: it reads CSV only.
package plots
