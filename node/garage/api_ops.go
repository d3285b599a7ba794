package garage

import (
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/rt"
)

// Admin RPC endpoints of a node's maintenance (`garage worker ...`,
// `garage repair ...`, `garage block ...`, `garage stats`). They act on
// the node called; repair and stats can fan out to every node.
const (
	EndpointWorkerList  = "admin/worker/list"
	EndpointWorkerGet   = "admin/worker/get"
	EndpointWorkerSet   = "admin/worker/set"
	EndpointRepair      = "admin/repair"
	EndpointRepairState = "admin/repair/state"
	EndpointBlockErrors = "admin/block/list-errors"
	EndpointBlockInfo   = "admin/block/info"
	EndpointBlockRetry  = "admin/block/retry-now"
	EndpointBlockPurge  = "admin/block/purge"
	EndpointStats       = "admin/stats"
)

// Worker states, as Garage names them.
const (
	WorkerBusy   = "Busy"
	WorkerIdle   = "Idle"
	WorkerPaused = "Paused"
	WorkerDone   = "Done"
)

// WorkerInfo is one background worker of a node: a line of `garage worker
// list`, and `garage worker info`.
type WorkerInfo struct {
	ID          int // its place in the list, stable while the node runs (Garage's TID)
	Name        string
	State       string
	Tranquility *int `json:",omitempty"` // for workers that pause between items
	Done        uint64
	Queue       *int `json:",omitempty"` // items waiting, for workers with a queue
	Errors      uint64
	Consecutive uint64
	LastError   string         `json:",omitempty"`
	LastAgo     *time.Duration `json:",omitempty"` // since its last round ended
	Info        []string       `json:",omitempty"` // what else it tells
}

// WorkerListRequest filters `worker list`.
type WorkerListRequest struct {
	Busy, Errors bool // only busy workers; only workers with errors
}

// WorkerListReply lists a node's workers.
type WorkerListReply struct{ Workers []WorkerInfo }

// WorkerInfoRequest names a worker by id or name.
type WorkerInfoRequest struct{ Worker string }

// WorkerVar is a run-time setting of the workers (`worker get|set`).
type WorkerVar struct{ Name, Value string }

// WorkerVarRequest reads (Value empty) or sets a variable; an empty Name
// with an empty Value lists them all.
type WorkerVarRequest struct{ Name, Value string }

// WorkerVarReply lists variables and their values.
type WorkerVarReply struct{ Vars []WorkerVar }

// What a repair works on.
const (
	RepairTables    = "tables"
	RepairBlocks    = "blocks"
	RepairVersions  = "versions"
	RepairBlockRefs = "block-refs"
	RepairScrub     = "scrub"
)

// Scrub commands.
const (
	ScrubStart  = "start"
	ScrubPause  = "pause"
	ScrubResume = "resume"
	ScrubCancel = "cancel"
)

// RepairRequest launches a repair: What is one of the Repair constants;
// Scrub, for RepairScrub, one of the scrub commands. AllNodes launches it
// on every node of the cluster.
type RepairRequest struct {
	What     string
	Scrub    string `json:",omitempty"`
	AllNodes bool   `json:",omitempty"`
}

// RepairStatus is the state of one repair on one node.
type RepairStatus struct {
	What     string
	Launched bool // it ran or runs since the node started (scrub: ever)
	Running  bool
	Paused   bool   `json:",omitempty"` // scrub
	Progress string // what it did so far, in words
	Checked  uint64 // items checked
	Deleted  uint64 `json:",omitempty"` // versions or references deleted
	Failed   uint64 `json:",omitempty"` // items whose repair failed
	Error    string `json:",omitempty"` // the last failure
}

// NodeRepair is the outcome of a repair request on one node.
type NodeRepair struct {
	Node   rt.NodeID
	Status RepairStatus
	Error  string `json:",omitempty"` // the node refused or could not be reached
}

// RepairReply is the outcome on each node asked.
type RepairReply struct{ Nodes []NodeRepair }

// RepairStateRequest asks for the state of one repair.
type RepairStateRequest struct{ What string }

// BlockErrorInfo is a block whose resync keeps failing.
type BlockErrorInfo struct {
	Hash    string
	Count   uint64 // consecutive failures
	LastTry time.Time
	NextTry time.Time
}

// BlockErrorsReply lists a node's blocks in error.
type BlockErrorsReply struct{ Blocks []BlockErrorInfo }

// BlockRequest names a block by its hash (64 hexadecimal characters).
type BlockRequest struct{ Hash string }

// BlockUserInfo is a version that references a block.
type BlockUserInfo struct {
	Version    string
	RefDeleted bool
	Found      bool   // the version exists
	Deleted    bool   // the version is deleted
	Bucket     string `json:",omitempty"` // object versions
	Key        string `json:",omitempty"`
	Upload     string `json:",omitempty"` // part versions: the upload id
}

// BlockInfoReply is what a node knows of a block, and who uses it.
type BlockInfoReply struct {
	Hash     string
	RefCount uint64
	DeleteAt time.Time // when a zero count's block goes (zero if none)
	Holds    bool      // the layout places it on this node
	Files    []block.FileInfo
	QueuedAt time.Time // its resync (zero if none)
	Error    *BlockErrorInfo
	Users    []BlockUserInfo
}

// BlocksRequest names blocks by hash, or every block in error (All).
type BlocksRequest struct {
	Hashes []string
	All    bool `json:",omitempty"`
}

// BlockRetryReply counts the blocks queued for a resync now.
type BlockRetryReply struct{ Queued int }

// BlockPurgeReply is what purging blocks deleted.
type BlockPurgeReply struct {
	Blocks   int
	Objects  int // objects that got a delete marker, or uploads in progress aborted
	Uploads  int // multipart uploads aborted
	Versions int
	Refs     int
}

// StatsRequest asks for a node's statistics, or every node's, and the
// cluster's (unless NodeOnly).
type StatsRequest struct {
	AllNodes bool `json:",omitempty"`
	NodeOnly bool `json:",omitempty"`
}

// TableStats are the entries and queues of one table of a node.
type TableStats struct {
	Table       string
	Items       int `json:",omitempty"` // entries, tombstones included (stats only)
	MerkleTodo  int // entries changed and not yet in the Merkle tree
	GCTodo      int // tombstones waiting for garbage collection
	InsertQueue int // entries waiting to be written to other nodes
}

// BlockStats are a node's block manager figures.
type BlockStats struct {
	RCEntries    int   // reference count entries (about the blocks stored)
	Files        int   // block files
	Bytes        int64 // their size on disk
	ResyncQueue  int   // blocks waiting for a resync
	ResyncErrors int   // blocks whose resync keeps failing
}

// NodeStats are one node's statistics.
type NodeStats struct {
	Node     rt.NodeID
	Hostname string `json:",omitempty"`
	Error    string `json:",omitempty"` // the node could not be asked
	Tables   []TableStats
	Blocks   *BlockStats `json:",omitempty"` // nil without block storage
	// Objects, Bytes and Uploads are the counts of the replicas this node
	// stores.
	Objects, Bytes, Uploads int64
}

// ClusterStats are the cluster-wide figures: buckets and keys, and the
// objects of every bucket (from their counters, read from quorums).
type ClusterStats struct {
	Buckets, Keys           int
	Objects, Bytes, Uploads int64
}

// StatsReply is `garage stats`.
type StatsReply struct {
	Nodes   []NodeStats
	Cluster ClusterStats
}
