// Package garage assembles a whole Garage node from its ports: New(env,
// cfg) builds cluster membership and the layout, every table, the block
// manager (node/block, over Config.Block.Dirs or the Env's Files), the
// background workers and the admin operations, and registers the RPC
// endpoints they serve. It is the one assembly of the project: the real
// daemon (node/daemon) calls New with the ports of node/host, and the
// simulator calls it with simulated ports, one node per call, so that what
// the checker passes is what users run.
//
// # Admin operations
//
// Node's exported methods are the operations an operator performs
// (Status, Layout, Stage, Apply, Revert, SkipDeadNodes, Connect, the
// debug key-value operations, and bucket and key management: BucketList,
// BucketInfo, BucketCreate, BucketDelete, BucketAlias, BucketUnalias,
// BucketPermission, BucketWebsite, BucketQuotas, KeyList, KeyInfo,
// KeyCreate, KeyImport, KeyRename, KeyDelete, KeyPermission). New registers each as an RPC endpoint
// (api.go) with JSON messages; Admin calls them over any rt.Net, which is
// how the CLI reaches a real node and how the simulated operator drives a
// simulated cluster: both go through the same handlers.
//
// # Maintenance
//
// The operations of one node (api_ops.go): Workers lists its background
// workers (per table the Merkle updater, anti-entropy, GC and insert
// queue; the block resync and scrub; the object service's abort and
// repair workers; the repairs launched), with WorkerVars and SetWorkerVar
// for the block workers' run-time settings, kept in the node's KV across
// restarts. Repair launches Garage's repairs (tables, blocks, versions,
// block-refs, scrub) as background jobs, one of each kind at a time, and
// RepairState follows them. BlockErrors, BlockInfo, BlockRetryNow and
// BlockPurge act on blocks; Stats gathers node and cluster figures. A
// node reaches the others' endpoints with AdminOf and FanOut (repair and
// stats on every node, the admin API's ?node=).
//
// # Objects
//
// New opens the object model's tables (node/model: bucket, alias and key
// tables fully replicated, the others sharded like the debug table, the
// block_ref hook counting references in the block manager) and the
// object service over them (node/object, Objects), configured by
// Config.Objects; Controls.NoTimestampRedo is its negative control.
//
// # Debug table
//
// KV is a table of last-writer-wins registers addressed by a partition key
// and a sort key, sharded by the layout: the registers of the CLI's debug
// commands and of the register workload (sort key empty), and the sets of
// the set workload (partition key the set, sort key the element, listed
// in order). Writes take Garage's timestamp rule: max(now, newest + 1)
// over what a read quorum holds.
//
// # Negative controls
//
// Controls switch off one protection at a time (the timestamp rule, the
// multi-version layout, the configured quorums) so that the checker can
// prove it sees the difference. They are never set from a configuration
// file.
//
// # Rules
//
// This is node code (DESIGN.md §3): it reaches the world only through
// node/rt. It holds no real-world wiring: configuration files, keys,
// sockets and listeners belong to node/daemon.
package garage
