// Package cluster owns a node's membership and its view of the cluster
// layout: which peers exist and where they listen, whether they are up and
// how far away, the status they advertise, the cluster's health, and the
// layout history that tables replicate by.
//
// # Membership
//
// New starts from the peers persisted in the KV (tree "cluster") and the
// bootstrap peers ("<node id>@host:port", ParsePeer), which it pings at
// once; Connect adds one by hand. Learned addresses go to the optional
// AddrBook (host.Net). Nothing is sent to every peer per interval: a
// node's background traffic is O(1) messages per interval whatever the
// cluster size (measured in scale_test.go: about 1.5 RPCs per node per
// second with the test timings, at 6 as at 1000 nodes).
//
// Failure detection is SWIM's (Das, Gupta, Motivala 2002), with
// memberlist's refinements. Every PingInterval a node probes one peer, the
// next of a random permutation of its peers renewed every round, so that
// each peer is probed once every len(peers) intervals by this node (and,
// cluster-wide, about once per interval). The ping carries the sender's
// incarnation; the ack measures the round trip (an EWMA per peer). A peer
// that does not answer within PingTimeout is pinged through
// IndirectChecks random up peers ("cluster/ping-req"); if none gets an
// answer, it is suspected. A suspect that does not refute within
// SuspicionTimeout (FailAfter × PingInterval × max(1, log10 n)) is
// declared dead. Beliefs (Liveness: incarnation, state alive < suspect <
// dead < left) merge by taking the greater (Supersedes), so every node
// ends with the same view. Only a node raises its own incarnation: at
// every boot (persisted under "incarnation") and to refute a suspicion,
// death or departure it hears of itself (Refutes); every message tells
// its receiver what the sender believes of it, so a suspected node that
// is pinged refutes at once. Up means alive or suspect; dead peers stay in
// the probe round, so a node back from a crash or a partition is seen
// again within a round, and at once by every node it pings itself.
//
// Changes of belief spread as rumors piggybacked on pings, acks and status
// exchanges (at most MaxPiggyback per message, least-sent first, each
// sent RetransmitLimit = λ·ceil(log10(n+1)) times), and while rumors are
// pending, every GossipInterval, to GossipFanout random up peers. Joins are
// not rumors: the status gossip spreads them.
//
// Status (address, hostname, free space, layout version and digest, role)
// spreads by anti-entropy of versioned records. Each node bumps its own
// status version when its status changed (checked every StatusInterval;
// versions are ordered across restarts by the incarnation). Every
// StatusInterval a node exchanges with one random up peer: it sends the
// digest of its stamps (per member: status version and belief), the peer
// answers "same" or its stamps, and one more round trip pushes the records
// this node holds newer and pulls the ones the peer holds newer (with the
// beliefs, and for a peer not up how long it has been so). This is how a
// node booted with one seed learns the cluster in O(log n) exchanges, and
// how every node learns it. Garage instead pings every peer every 15 s and
// broadcasts its status to every peer every 10 s: O(n) messages per node
// per interval, O(n²) for the cluster, which is what this replaces.
//
// A peer that no live layout version names and that has not been up for
// ForgetAfter (24 h by default) is forgotten: removed from the peers and
// the persisted list. Forget(id) does so by hand ("node forget"), refusing
// nodes of a live layout version and nodes up, and spreads the departure
// (state left). A forgotten node leaves a tomb for ForgetAfter so that
// records of it gossiped by slower peers do not bring it back; the node
// itself (a message from it), the operator, or news of it alive at a newer
// incarnation do.
//
// # Layout
//
// The layout.History is persisted under "layout" and reloaded at boot.
// Admin methods (StageRole, StageRemove, StageRedundancy, Revert, Apply,
// SkipDeadNodes) change it and push it to every up peer (rare, operator
// driven, and it lets an operator read the staged layout on any node; the
// pushes to one peer coalesce, and a history the peer already took is not
// sent again); staging stamps are max(wall clock ms, newest staged stamp +
// 1) (NextStamp). Every other change (tracker moves, merges) spreads by
// gossip: every membership message carries the sender's layout digest,
// and a node that sees a digest other than its own reconciles with that
// peer — it pulls the peer's history, merges it and pushes the merge back
// if the peer lacks part of it, or only pushes if its history already
// holds the peer's (it was its own or it merged it). At most one
// reconciliation runs at a time per node and at most one starts per
// PingInterval, so a transition costs O(1) history transfers per node per
// interval and spreads in O(log n) intervals.
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
// read version's nodes ordered up before down, self, same zone, lowest RTT,
// id (OrderReads), and ask a read quorum of them first, the others only on
// a failure or after a hedge of two RTT estimates (ReadHedge); writes
// need a quorum in every live version. Tables and the block manager learn
// of layout changes from LayoutChanged instead of polling. Full reads
// from self with quorum 1 and writes to every node of the current version
// with quorum nodes − FullMaxFaults. Each Sharded or Full call is one
// table's handle: the node's sync tracker rises to v once every handle
// reported SyncDone(v).
//
// # API at a glance
//
//   - New(env, Config) starts the node's cluster state; ParsePeer(s)
//     parses "<id>@host:port".
//   - Connect, Forget, Peers, Status (one NodeInfo per node), Health,
//     SetSpace.
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
// node/rt; every random choice (probe order, gossip and status targets,
// indirect helpers, jitter) comes from the node's rt.Rand. Peers are
// visited in sorted order; the mutex is never held across a call or a
// sleep; histories once installed are never modified (copy on write), so
// readers share them without copying.
package cluster
