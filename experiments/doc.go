// Package experiments holds the named research scenarios (topology,
// workload, faults, sweep). Each writes results/<experiment>/*.csv and a
// metadata file (seed, parameters, commit).
package experiments
