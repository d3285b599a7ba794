// Package layout owns the cluster layout: node roles (zone, capacity, tags),
// the optimal assignment of partitions to nodes, staged changes, versions,
// history and the multi-version transition state.
//
// It is pure computation: no clock, no I/O, no randomness, no goroutines.
// Identical inputs give identical outputs; nothing depends on map order.
// Timestamps of staged changes come in as values (milliseconds chosen by the
// caller); the protocol that gossips histories and moves the transition
// trackers lives in node/.
//
// The assignment (Compute) follows Garage's definition. With P partitions,
// replication factor RF and zone redundancy ZR:
//
//  1. find the largest partition size s for which a maximum flow places RF
//     replicas of every partition on distinct nodes spanning at least ZR
//     zones, with node i holding at most floor(capacity_i / s) partitions
//     (flow network: source -> partition (ZR "spread" units with one unit per
//     zone, RF-ZR free units) -> partition x zone -> node -> sink); the
//     optimum is one of the values floor(capacity_i / k), so a binary search
//     over those needs about log2(N*P) max-flows;
//  2. among the assignments at that size, pick one that minimises the number
//     of partition replicas placed on a node that did not hold them in the
//     previous version (a min-cost flow, primal-dual with Dinic on the
//     admissible graph);
//  3. among those, fill the nodes of each zone evenly relative to their
//     capacity (each node's room is cut into 16 slices of rising cost, a
//     convex cost the same min-cost flow minimises after the moves);
//  4. break the remaining ties deterministically by a capacity-weighted
//     rendezvous hash of (partition, node). A node that keeps a partition
//     keeps its position in the partition's node list.
//
// Invariants of every Version this package builds: each partition has RF
// distinct storage nodes spanning at least ZR zones; no node holds more than
// capacity / PartitionSize partitions; gateways hold nothing.
//
// A History holds the live versions (several during a transition), a few
// retired ones, the staged changes (a last-writer-wins CRDT) and the update
// trackers (ack, sync, sync-ack per node, each a max-register map). Pure
// methods say which versions are live, which one reads use, which node sets
// writes go to, and when an old version retires.
//
// Histories and versions have one canonical encoding, for gossip and
// persistence: a compact binary format (see Format) in which equal values
// encode to equal bytes. Decoding is strict and ends with Check; it still
// reads the JSON of Format 1 that older binaries persisted. The types keep
// JSON tags for human-readable output only.
package layout
