// Package disk is the simulator's in-memory disk: an ordered key-value
// engine (rt.KV) and a file store (rt.Files), each with a durable layer and
// a pending layer. Writes land in the pending layer; a sync (or a sync-on-
// commit engine) makes them durable; Crash throws away everything pending,
// as a power cut does to data still in the page cache.
//
// Values are copied in and out: nothing stored aliases a caller's slice.
// The package does no I/O and reads no clock. It is not safe for concurrent
// use; transactions are serialised by a Guard (the simulator passes an
// rt.Mutex, which also forbids blocking inside a transaction).
//
// Faults: FailNext makes the next operations fail, Corrupt damages a file.
package disk
