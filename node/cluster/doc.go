// Package cluster owns a node's membership and its view of the cluster
// layout: which peers exist and where they listen, whether they are up and
// how far away, the status they advertise, the cluster's health, and the
// layout history that tables replicate by.
//
// # Membership
//
// New starts from the peers persisted in the KV (tree "cluster") and the
// bootstrap peers ("<node id>@host:port", ParsePeer); Connect adds one by
// hand. Every PingInterval the node pings each known peer, keeping a
// moving average of the round trip (Clock.Mono); a peer is down after
// FailAfter consecutive failed pings and up again after one success. Every
// StatusInterval, and whenever a peer comes up, the node exchanges status
// with it: hostname, free space, layout version and digest, and the list
// of known peers, so that nodes knowing one bootstrap peer end in a full
// mesh. Learned addresses go to the optional AddrBook (host.Net).
//
// # Layout
//
// The layout.History is persisted under "layout" and reloaded at boot.
// Admin methods (StageRole, StageRemove, StageRedundancy, Revert, Apply,
// SkipDeadNodes) change it and push it to every up peer; staging stamps are
// max(wall clock ms, newest staged stamp + 1) (NextStamp). A status
// exchange that shows a different digest pulls the peer's history, merges
// it, and pushes the merge back if the peer lacks part of it.
//
// Transitions follow layout's trackers. After every change this node acks
// the current version (once no write Guarded under an older version is in
// flight), sync-acks the cluster's sync minimum, and, with AutoSync, marks
// itself synced as soon as syncing may start. Without AutoSync the table
// layer calls SyncDone(v) when its anti-entropy for version v (SyncTarget)
// completed. Old versions retire in layout once every storage node has
// sync-acked. Subscribe registers callbacks run, each in its own task and
// outside every lock, after each change.
//
// # Replication
//
// Sharded and Full implement table.Layout (table.Replication plus the
// Sharding snapshot and a per-table SyncDone) over the layout. Keys map to
// partitions by BLAKE2b-256 (KeyHash), as in Garage. Sharded reads use the
// read version's nodes ordered self, same zone, lowest RTT, id
// (OrderReads); writes need a quorum in every live version. Full reads
// from self with quorum 1 and writes to every node of the current version
// with quorum nodes − FullMaxFaults. Each Sharded or Full call is one
// table's handle: the node's sync tracker rises to v once every handle
// reported SyncDone(v).
//
// # API at a glance
//
//   - New(env, Config) starts the node's cluster state; ParsePeer(s)
//     parses "<id>@host:port".
//   - Connect, Peers, Status (one NodeInfo per node), Health, SetSpace.
//   - History (a copy), Digest, StageRole, StageRemove, StageRedundancy,
//     Revert, Apply(n), SkipDeadNodes(v, allowMissingData).
//   - SyncTarget, SyncDone(v), Guard (hold acks while a write is in
//     flight), Subscribe(fn).
//   - Sharded(c, mode), Full(c): table.Layout implementations.
//
// # Health
//
// Health (ComputeHealth) is Garage's: healthy when every storage node of
// the current version is up; degraded when some are down but every
// partition has a write quorum up in every live version; unavailable
// otherwise.
//
// # Rules
//
// This is node code (DESIGN.md §3): it reaches the world only through
// node/rt. Peers are visited in sorted order; the mutex is never held
// across a call or a sleep; histories once installed are never modified
// (copy on write), so readers share them without copying.
package cluster
