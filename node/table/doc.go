// Package table is the replicated metadata layer: entries stored on the
// nodes a Replication strategy names, written to a write quorum and read
// from a read quorum, with read repair.
//
// This first slice holds last-writer-wins registers (Register) keyed by a
// string; the replication issue generalises it to partition/sort keys and
// arbitrary CRDT entries. It is node code: it reaches the world only
// through node/rt, so it runs unchanged in the simulator and in real nodes.
//
// Invariants: a write's timestamp is max(now, newest existing + 1) where
// "newest existing" comes from a read quorum, so a write that starts after
// another returned gets a larger timestamp even when clocks are skewed; a
// read returns the merge of a read quorum, and with R + W > RF every read
// quorum meets every write quorum.
package table
