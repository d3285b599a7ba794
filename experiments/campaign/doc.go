// Package campaign runs the consistency testbed on assembled nodes: a
// Scenario is one seeded run of a workload (register or set, package
// workload) against a simulated cluster of garage.New nodes (package
// simcluster) under a nemesis class, in a safety phase (workload and
// faults) followed by a liveness phase (heal everything, wait for the
// layout to settle, read everything a last time, wait for replicas to
// converge); the checker judges the history. A Campaign is a grid of
// seeds × workloads × nemeses run in parallel worlds, summarised as a
// table, each failure written as HTML with the command that replays it.
//
// Beyond sim/nemesis's classes, two act on the nodes themselves:
// "layout" changes the layout through the admin operations while traffic
// runs (add, remove, move or resize a node, replace a key's replicas, two
// changes back to back, a staged change reverted), and "mode-flip" (a
// negative control) switches the quorums to degraded or dangerous during
// a partition. The other negative controls are options: a degraded or
// dangerous consistency mode, naive timestamps, a single-version layout.
package campaign
