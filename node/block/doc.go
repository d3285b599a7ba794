// Package block is the block manager of a node: the content-addressed
// data blocks objects are cut into, where they live, how they move between
// nodes, and the background work that keeps every node holding exactly
// the blocks it should (Garage's block crate).
//
// # Blocks and files
//
// A block is at most Config.BlockSize bytes (1 MiB); its id is the
// BLAKE2b-256 of its plaintext (Hash, Sum), so identical blocks are stored
// once. A block is stored compressed with zstd (Config.Compression: 0 is
// the default level 1, CompressionOff stores plain blocks) only when that
// saves space. Its file is xx/yy/<hex> or xx/yy/<hex>.zst, written
// atomically through rt.Files (temp file and rename in node/host), synced
// when Config.Fsync (data_fsync). With several data directories, a block
// goes to the writable directory that weighted rendezvous hashing of its
// hash picks (weights: capacities), and a read looks there first, then in
// every other directory (read-only ones included), since a block may sit
// where an older configuration put it. Every read verifies the hash; a
// corrupt file (bit rot, truncation, bad zstd stream) is set aside as
// <name>.corrupted and its block queued for resync, which fetches a good
// copy from a replica.
//
// # Placement and transfers
//
// A block lives on the nodes of the partition of its hash: cluster.Sharded
// with key hash[:], the placement of the block_ref table, whose entries
// therefore sit on the nodes that must store the blocks they count.
// placement.go is the one place that asks the layout. Put compresses
// once, takes the stored size from the RAM buffer (RAMBufferMax: writers
// wait while it is full, which is the backpressure), sends the block to
// every node of every live layout version and returns at a write quorum
// of each; the buffer is freed when every send ended. Get tries the nodes
// one at a time (self, same zone, lowest RTT, then nodes only older live
// versions name), each for at most ReadTimeout, and moves on at an error
// or a corrupt reply. Endpoints: block/put, block/get, block/need.
// Streaming is the caller's: Chunker cuts a reader into blocks, so an
// object never sits whole in memory.
//
// # Reference counts, resync and GC
//
// The block_ref table's Updated hook calls IncRef and DecRef in its own
// transaction (tree block/rc). A first reference queues a check
// (NewRefDelay later) that the block is here; a count falling to zero
// queues the deletion GCDelay later (a reference coming back in between
// cancels it). The resync queue (block/resync, keyed by due time || hash,
// at most one entry per hash, block/resync_at) persists in the KV, so it
// resumes after a restart; workers (ResyncWorkers, changeable at run
// time) take due entries and bring the store in line: a block the node
// needs (positive or not yet expired count, and the layout places it
// here) but lacks is fetched; a block it holds but does not need is
// offered to the other nodes of its partition ("need?"; every node must
// answer), sent to those that need it, then deleted. Failures are kept in
// block/errors with an exponential backoff (RetryDelay doubling up to
// MaxRetryDelay). After each item a worker sleeps Tranquility times the
// time the item took. When the set of live layout versions changes, every
// referenced block is queued, so blocks reach the nodes that should now
// hold them and leave the others. The block manager reports its layout
// syncs at once, as in Garage: blocks move in the background and reads
// try every live version.
//
// # Scrub and restore
//
// The scrub worker walks every data directory page by page (ListPage),
// verifies each file, sets corrupt ones aside and queues them for repair,
// and queues blocks the node should not hold; its cursor is persisted
// after each page (block/state). It runs every ScrubInterval and on
// ScrubStart, at ScrubTranquility. Each writable directory holds a marker
// file; a directory found without it while reference counts exist (a
// wiped or replaced disk) makes the node queue every referenced block,
// which resync fetches back.
//
// # Failpoints
//
// block-fsync-before and block-fsync-after around every block file write,
// block-read (an error fails a file read) and block-corrupt (a file read
// sees a flipped bit) on every read, gc-delete before a block is deleted.
//
// # Rules
//
// This is node code (DESIGN.md §3): it reaches the world only through
// node/rt. Deletion and queue times are wall-clock milliseconds (Clock.Now)
// because they outlive the process; durations of work use Clock.Mono.
package block
