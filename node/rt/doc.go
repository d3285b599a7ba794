// Package rt declares the ports through which node code reaches the world:
// clocks, a per-node random stream, message-level RPC, tasks and the
// primitives that replace goroutines, channels and select (events, futures,
// quorum waits, a mutex), an ordered key-value store with transactions,
// block files, and a failpoint hook.
//
// Two drivers implement the ports: node/host (goroutines, time, TCP, os) and
// sim (a deterministic cooperative scheduler with virtual time). Node code
// written only against these ports runs unchanged in both worlds.
//
// rt itself holds no state and does no I/O. The generic helpers here
// (Future, Quorum) are built only from the ports, so they are deterministic
// under the simulator.
package rt
