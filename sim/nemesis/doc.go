// Package nemesis injects faults into a simulated world the way Jepsen's
// nemeses do: named classes (partition, zone, crash, pause, clock, net,
// disk, all) that each draw faults from a seeded stream, a schedule of
// episodes (a fault, held for a while, then undone) over a safety phase,
// and a Heal that returns the world to a fault-free state for the liveness
// phase.
//
// A Nemesis only draws: Draw picks one Fault from the run's "nemesis"
// stream and the cluster's Topology. An Exec applies faults to the world,
// keeps an undo for each, and reports every event to a Recorder callback so
// that histories show them. A Registry maps class names to nemeses; it is
// a value (no package-level state), so that packages building layout
// changes or consistency-mode flips can add their classes to it.
//
// Invariants: plans depend only on the stream and the topology, so a seed
// replays the same faults; Exec.Heal undoes every fault still active, in
// reverse order, and then resets the network, clocks, failpoints and
// crashed nodes unconditionally, so that the liveness phase starts clean
// whatever a fault left behind. The package runs only inside the
// simulator: it uses virtual time through the world and no real clock.
package nemesis
