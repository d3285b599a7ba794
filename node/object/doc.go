// Package object is the object service of a node: buckets, access keys
// and objects (Garage's api/common and model helpers, without HTTP),
// over the tables of node/model and the block manager. The S3 layer and
// the admin operations of node/garage call it; it maps nothing to S3
// error codes (its errors are sentinels for the S3 layer to map).
//
// # Buckets and keys
//
// Buckets, aliases and keys live in fully replicated tables, so their
// reads are local (ListBuckets, ResolveBucket, Key: no round trip) and
// their writes reach every node but one. Bucket names follow Garage's
// rules (CheckBucketName); global aliases are in the alias table and
// mirrored in the bucket, local aliases in the key and mirrored in the
// bucket; a permission is written to both the bucket and the key with one
// timestamp. A bucket is deleted only when it holds no object nor upload.
//
// # Objects
//
// Put streams: under Config.InlineMax bytes (3072) the data goes in the
// object row, one write; otherwise an uploading version is written, the
// stream is cut into Config.BlockSize blocks, each stored with its
// version entry and its block reference at once, at most PutParallel in
// flight (memory stays bounded), and the version completed. Get reads the
// object (one round trip for inline data), then the block list and the
// first block at once, then streams the rest GetPrefetch blocks ahead.
// Delete writes a delete marker. Copy writes a new version that points at
// the same blocks (new references, no data copied). List reads the object
// table by range with a filter that skips delete markers and uploads,
// grouping common prefixes (multi-character delimiters too) and paging by
// start key. Multipart uploads register each part's version in the upload
// entry before storing its blocks, and complete into a new version made of
// the chosen parts' blocks.
//
// # Timestamps
//
// A write of an object version is stamped with the clock (or after this
// node's replica, if it has one) and sent at once; the replicas report
// the newest stamp they held (table.InsertNewest). Only if one is not
// older is the version written again, under a new id, at newest + 1 — so
// a small Put or a Delete costs one quorum round trip in the common case,
// and timestamps stay monotonic under clock skew: a write acknowledged
// before another began is seen by the other's write quorum. Config.NoRedo
// is the negative control that skips the redo.
//
// # Failures
//
// A Put that fails before its completion write aborts its version (its
// blocks are then collected through the hooks of node/model); one that
// fails at the completion does not (a replica may hold it complete, and a
// completion is final). A version left uploading by a vanished
// coordinator is aborted by the abort worker after UploadTimeout, once
// every replica answered that none holds it complete. A read that finds a
// block no node holds, or a version without its block list, fails with
// ErrDataMissing and queues a repair (repair worker: resync of the block
// on the nodes that should store it); nothing else is affected.
//
// # Repairs
//
// RepairVersions and RepairBlockRefs are Garage's `repair versions` and
// `repair block-refs`: passes over this node's replica of the version and
// block_ref tables that delete the versions their object or upload no
// longer has, and the references whose version is deleted (or, after a
// grace delay, missing): the leak of a reference written after its
// version was deleted ends there. PurgeBlock gives up on a block no node
// can provide: the objects and uploads using it are deleted.
//
// # Rules
//
// This is node code (DESIGN.md §3): it reaches the world only through
// node/rt.
package object
