// Package model holds Garage's object model: the entries of the bucket,
// bucket_alias, key, object, version, block_ref, multipart_upload and
// bucket_object_counter tables, their CRDT merges and canonical
// encodings, and the schemas whose Updated hooks chain deletions from one
// table to the next, as in Garage's model crate.
//
// # Tables
//
//   - bucket_v2 (fully replicated; sort key the bucket id): Bucket, a
//     Deletable BucketParams: creation date, per-key permissions (LWW per
//     key), global and local aliases, website, CORS and lifecycle
//     documents, quotas.
//   - bucket_alias (fully replicated; sort key the name): BucketAlias, an
//     LWW optional bucket id; none is a tombstone.
//   - key (fully replicated; sort key the access key id "GK" + 24 hex):
//     Key, a Deletable KeyParams: secret (64 hex), name, allow-create-
//     bucket, per-bucket permissions, local aliases.
//   - object (sharded by bucket id; sort key the object key): Object, its
//     versions ordered by (timestamp, uuid), each uploading (plain or
//     multipart, with the headers to store), complete (delete marker,
//     inline data under the inline threshold, or the hash of the first
//     block) or aborted. Merge is the union by (timestamp, uuid), merging
//     the states of one version (complete > aborted > uploading), then
//     dropping the versions older than the newest complete one.
//   - version (sharded by version uuid): Version, the block list of one
//     object version or one part, keyed by (part number, offset), and its
//     backlink. Deleted is final and forgets the blocks.
//   - block_ref (sharded by block hash, so it lives with the block; sort
//     key the version uuid): BlockRef, whose deletion is final.
//   - multipart_upload (sharded by upload id = the uploading version's
//     uuid): MPU, the parts uploaded, keyed by (part number, timestamp).
//   - bucket_object_counter (sharded by bucket id): Counter, per node
//     that stores the bucket's objects, an LWW register of the counts of
//     its replica (objects with data, bytes, uploads in progress).
//
// # Hook chain
//
// Every hook runs in the transaction that changes the entry on this node
// and propagates through table.QueueInsert (same transaction, flushed to
// a quorum by the table's queue worker):
//
//	object:    a version dropped or newly aborted → version tombstone
//	           (none for inline data and delete markers, which have no
//	           version entry); a multipart upload completed or aborted →
//	           upload tombstone; counts → local counters → counter entry;
//	           plain uploads in progress → local index (StaleUploads)
//	upload:    deleted → tombstones of its part versions
//	version:   deleted → block_ref tombstones of its blocks
//	block_ref: live appears → Refcounter.IncRef; live disappears (deleted,
//	           offloaded) → DecRef
//
// # Rules
//
// This is node code (DESIGN.md §3). Entries are immutable values; every
// Merge is commutative, associative and idempotent on random values
// (laws_test.go), and Decode accepts canonical encodings only, so equal
// states have equal bytes (Merkle anti-entropy compares them).
package model
