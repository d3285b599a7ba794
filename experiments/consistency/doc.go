// Package consistency is the "consistency" experiment: the Jepsen-style
// table of campaign runs of the S3 workloads (workload × nemesis × seeds)
// under each configuration of protections — all of them on, then each
// switched off in turn: the object write's timestamp redo (no timestamp
// redo), the block layer's hash check (no block verify, caught under bit
// rot), the multi-version layout (single-version layout), the read quorum
// (degraded mode, R = 1) and every quorum (dangerous mode, R = W = 1).
// Runs happen in the simulator (package campaign), one campaign per
// configuration and cell on each core; a run fails when a gating check of
// the checker finds a violation. At the CI size each negative control runs
// in one cell where it is known to be caught, and every protection on in
// all of those cells.
//
// Tables: violations.csv (one row per configuration, workload, nemesis and
// gating check: runs, failed runs, violations), cells.csv (one row per
// configuration and scenario: runs, failed runs, violations over every
// gating check) and per_check.csv (violations per configuration and
// check). Figures: consistency (heat map of failed runs, scenario by
// configuration) and consistency-checks (violations by check and
// configuration).
package consistency
