// Package layout owns the cluster layout: node roles (zone, capacity, tags),
// the optimal assignment of partitions to nodes, staged changes, versions,
// history and the multi-version transition state.
//
// It is pure computation: no clock, no I/O, no randomness, no goroutines.
// Identical inputs give identical outputs; nothing depends on map order.
package layout
