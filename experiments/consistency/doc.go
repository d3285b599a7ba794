// Package consistency is the "consistency" experiment: the Jepsen-style
// table of campaign runs (workload × nemesis × seeds) under each
// configuration of protections — all of them on, then each switched off
// in turn: monotonic timestamps (naive timestamps), the multi-version
// layout (single-version layout), the read quorum (degraded mode, R = 1)
// and every quorum (dangerous mode, R = W = 1). Runs happen in the
// simulator (package campaign); a run fails when a gating check of the
// checker finds a violation.
//
// Tables: violations.csv (one row per configuration, workload, nemesis and
// gating check: runs, failed runs, violations), cells.csv (one row per
// configuration and scenario: runs, failed runs, violations over every
// gating check) and per_check.csv (violations per configuration and check). Figures: consistency (heat map of failed runs, scenario
// by configuration) and consistency-checks (violations by check and
// configuration).
package consistency
