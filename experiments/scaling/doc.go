// Package scaling is the "scaling" experiment: the latency measurement of
// package latency repeated as the cluster grows over 3 zones (6 → 250
// nodes in the simulator, 1000 on request with --sizes; the sizes this
// machine holds with --real; the target's own size with --target), with
// the wall time the simulator needed per size.
//
// Tables: scaling.csv (one row per size and endpoint: n, failed, mean,
// min, p50, p99, max in ms, and the ratio of the mean to the smallest
// size's), wall.csv (one row per size and phase: wall and virtual
// seconds; the only file of a simulated run that changes between runs).
// Figures: scaling (mean latency per endpoint versus nodes, log x) and
// wall-scaling (simulator wall time versus nodes).
package scaling
