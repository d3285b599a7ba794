// Package checker judges recorded histories: read-after-write per key
// (porcupine), list-after-write sweeps, durability of acknowledged writes,
// timestamp monotonicity and convergence after faults heal.
//
// checker is a leaf: it imports no other package of the project. Every check
// has a negative control in its tests that it must catch.
package checker
