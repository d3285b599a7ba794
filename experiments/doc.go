// Package experiments holds the named research scenarios (topology,
// workload, faults) and the code that runs them:
//
//   - register (RunRegister, DriveRegister, LockstepRegister): the register
//     workload on the quorum-replicated store, in the simulator;
//   - RunRegisterReal: the same workload on real nodes in one process over
//     loopback TCP, shaped by netem;
//   - RunRealCluster: the workload against real garage server processes,
//     with SIGKILLs, judged by the checker;
//   - scenarios and campaigns (GenScenario, RunScenario, Campaign): seeded
//     register and set workloads under a nemesis class, a safety then a
//     liveness phase, every history judged by the checker, failures written
//     as HTML with a replay command.
//
// Latency, scaling, zone-failure and rebalancing experiments writing
// results/<experiment>/*.csv (plotted by package plots) are still to come;
// package experiments/results is the writer they will share (tables,
// meta.json, figure specs, progress).
package experiments
