// Package boltkv is the metadata engine of real nodes: an rt.KV on a bbolt
// file. Each rt tree is a top-level bbolt bucket, created by the first write
// to it; reading or scanning a tree that does not exist yet sees it empty.
//
// Durability: with Options.Fsync every commit is fsynced before Update
// returns. Without it commits reach the page cache only (they survive a
// crash of the process, not of the machine) until Sync is called.
//
// Group commit: updates of concurrent callers share one bbolt
// transaction and one commit (one fsync), each fn run once in arrival
// order, each Update returning once that commit is done; a failing fn's
// writes are undone from the shared transaction by a journal of the
// values they replaced. An update is thus as durable and as isolated as
// alone, and a synced node commits many updates per fsync under load.
// An update that wrote nothing commits nothing.
//
// Keys and tree names must be non-empty; keys are at most bbolt.MaxKeySize
// bytes. Put copies its value, so callers may reuse their buffers; slices
// returned by Get and Scan point into the memory map and are valid only
// until the transaction ends.
//
// boltkv belongs to the real driver (node/host): it does file I/O and may be
// used from several goroutines at once. bbolt allows one writer and many
// readers; a View nested in an Update is fine, an Update nested in anything
// deadlocks.
package boltkv
