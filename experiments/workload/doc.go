// Package workload holds the client side of every experiment: the
// operations a workload performs, written once against small client
// interfaces (Registers, Set), the op generators, the recording of each
// operation into a checker history with its latency, and the latency
// statistics.
//
// The same workload code drives every world. Its clients reach the cluster
// through an implementation of the interfaces: Node calls an assembled
// node (garage.Node) directly, as the simulator's clients do; Admin goes
// over the RPC mesh to the node's admin endpoints (garage.Admin), as a
// client of a real `garage server` process does; an S3 implementation
// comes with the S3 API. Time, sleeps and timeouts come from an Env: the
// simulator's virtual clock, or node/host's real one.
//
// Recording: each operation is invoked and completed on a
// checker.Recorder with logical stamps; a failed read had no effect
// (Fail), a failed write may have reached some replicas (Unknown).
package workload
