package garage

import (
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/table"
)

// Config is a node's world-neutral configuration: what garage.toml says
// once read and checked, without the real-world parts (paths, sockets,
// secrets) that node/daemon handles.
type Config struct {
	// Cluster configures membership and the layout: replication factor,
	// partition bits, consistency mode (Cluster.Mode, also the quorums of
	// every sharded table), bootstrap peers, advertised address, timings.
	// Its AddrBook is filled by New when the Net of the Env is one.
	Cluster cluster.Config
	// Tables tunes every table of the node (timeouts, anti-entropy, GC).
	Tables table.Config
	// Block configures the block manager; with no Dirs it stores blocks
	// in the Env's Files (one directory).
	Block block.Config
	// Objects tunes the object service (inline threshold, parallelism,
	// upload timeout); its BlockSize follows the block manager's when zero.
	Objects object.Config
	// S3 configures the S3 API ([s3_api]: region, root domain).
	S3 s3.Config
	// Controls are negative controls for the checker; zero in production.
	Controls Controls
}

// Controls switch off a protection, to prove that the checker notices.
type Controls struct {
	// NaiveTimestamps stamps debug-table writes with the local clock alone
	// and never writes again at newest + 1 when a replica reports a newer
	// version: under clock skew a write can lose to an older one.
	NaiveTimestamps bool
	// SingleVersionLayout makes sharded tables read from and write to the
	// newest layout version only, even during a transition.
	SingleVersionLayout bool
	// NoTimestampRedo makes object writes keep their optimistic timestamp
	// (the coordinator's clock) even when a replica reports a newer
	// version (object.Config.NoRedo): under clock skew a write can lose to
	// one acknowledged before it began.
	NoTimestampRedo bool
	// NoBlockVerify makes the block manager serve blocks without checking
	// their hash (block.Config.NoVerify): a corrupt block file reaches
	// clients as data.
	NoBlockVerify bool
}
