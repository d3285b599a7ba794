// Package experiments is the research side of the project. Its
// subpackages:
//
//   - workload: the client side of every run — register and set
//     workloads written once against small client interfaces, with the
//     recording of each operation for the checker and latency statistics;
//   - simcluster: a cluster of assembled nodes (garage.New) in the
//     simulator, operated through the admin endpoints as the CLI operates
//     a real one;
//   - campaign: seeded scenarios under nemeses (safety then liveness
//     phase), campaigns of them, negative controls, the summary table;
//   - realproc: the same workloads against real `garage server`
//     processes on loopback, shaped by netem, with SIGKILLs;
//   - results: the writer every named experiment shares (tidy CSV tables,
//     meta.json, figure specs for package plots, progress);
//   - endpoint: the S3 endpoints the experiments measure, the client they
//     send them through (over the debug table until the S3 API lands) and
//     the published reference latencies;
//   - lab: the framework of named experiments — sessions, the three
//     worlds (simulator, real processes, a deployed target), goals, steady
//     load, and the run that writes results/<name>/ and draws its figures;
//   - latency, scaling, zonefail, rebalance, consistency, variants,
//     fidelity: the named experiments; catalog lists them for
//     `garage-sim experiment`, and pins their simulated CSV and SVG bytes.
//
// Committed figures and their readings: experiments/figures.
package experiments
