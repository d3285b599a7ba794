// Package lab is the framework of the named experiments: an Experiment is
// a Go scenario with a name, a description, the worlds it runs in and a
// Run function; Run (the function of this package) gives it a Session that
// opens clusters in the chosen world, writes its tables and figure specs
// into results/<name>/ (package results), records its parameters and
// acceptance goals, and at the end writes goals.csv and meta.json, draws
// every figure with package plots, and prints the figures' paths, a line
// per goal and one PASS or FAIL line.
//
// Worlds (Options.World):
//
//   - sim: assembled nodes in the deterministic simulator (simcluster),
//     clients as world tasks on virtual time; the same seed gives the same
//     CSV and SVG bytes.
//   - real: `garage server` processes on loopback shaped by netem
//     (realproc), clients over the admin RPC on real time.
//   - target: an already deployed cluster named by a target file (see
//     Target); the experiment only sends requests, and starts, stops or
//     reconfigures nothing the file does not allow.
//
// An experiment written against Cluster runs in all three; what only the
// simulator can observe (replica contents, bytes on the simulated wire) is
// reached through SimCluster and left empty elsewhere.
//
// Conventions of a results directory: every CSV is tidy with units in its
// header; a table or figure whose name starts with "wall" holds wall-clock
// measurements and is the only output of a simulated run that may change
// from one run to the next (with meta.json's wall time, start and commit).
//
// What it must not do: hold package-level state, or decide for an
// experiment what it measures; lab only runs, records and reports.
package lab
