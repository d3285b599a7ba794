// Package table is the replicated metadata layer: tables of CRDT entries
// stored on the nodes the cluster layout names, written to a write quorum
// of every live layout version and read from a read quorum, with read
// repair, Merkle-trie anti-entropy, offload of partitions a node no longer
// holds, and two-phase tombstone GC, as in Garage's table crate.
//
// # Generic tables
//
// A Table[E] holds entries E (an Entry: a node/crdt Mergeable value with a
// partition key and a sort key) described by a Schema (name, IsTombstone,
// and the Updated hook that runs in the writing transaction). Each table
// owns four KV trees named after it: "<name>" (key BLAKE2b-256(partition
// key) || sort key, value the canonical encoding), "<name>/merkle_todo"
// (key -> value hash, empty for a removal), "<name>/merkle" (the tries,
// package merkle) and "<name>/gc_todo" (time || key -> tombstone hash).
// A local write merges the new entry into the stored one, runs Updated and
// queues the Merkle update, all in one transaction; a background task
// applies the queue to the tries, so the data path stays cheap.
//
// # Cross-table propagation
//
// QueueInsert adds an entry to the table's persistent insert queue inside
// a caller's transaction (another table's Updated hook: Garage's
// queue_insert, how an object's deletion reaches its versions and a
// version's reaches its block references). A worker writes queued entries
// to a write quorum with retry and backoff and removes them once
// acknowledged; queued entries of one key merge in place, and a queue
// survives crashes with the transaction that filled it.
//
// # Optimistic timestamps
//
// A schema that implements Stamper has its insert RPC report, per entry,
// the newest timestamp the replica held before the merge; InsertNewest
// returns the greatest a write quorum reported, so that a coordinator can
// write at its clock and redo at newest + 1 only when a replica reports a
// version at least as new (one round trip in the common case).
//
// Quorum operations (Insert, InsertMany, InsertNewest, Get, GetRange) take their nodes
// and quorums from Replication. Background workers take the partitions'
// node sets from Layout.Sharding and report finished syncs with
// Layout.SyncDone: the cluster implements Layout; Static implements it
// over a shared layout.History for tests and tools.
//
// Each table serves the RPC endpoints "table/<name>/" + get, range,
// insert, roots, merkle, pull and gc-delete. Failpoints: meta-commit-before
// and -after around every local write, table-sync before a peer is synced,
// merkle-sync when Merkle nodes are served, gc-delete before GC phase 2.
//
// Static implements Layout over a shared layout.History for unit tests
// that isolate a table: every node sees each change at once and the
// trackers move as node/cluster moves them. Nodes assembled by
// node/garage use the cluster's layout instead.
//
// It is node code: it reaches the world only through node/rt, so it runs
// unchanged in the simulator and in real nodes.
//
// Invariants: with R + W > RF every read quorum meets every write quorum
// of the same layout version, and writes reach a quorum of every live
// version, so a read sees every acknowledged write (consistent mode); the
// stored encoding of an entry is canonical, so equal replicas have equal
// Merkle roots; an entry changes only inside a transaction that also runs
// Updated and queues its Merkle update; GC deletes a tombstone only after
// every replica confirmed holding it, and only where it is still the
// stored value.
package table
