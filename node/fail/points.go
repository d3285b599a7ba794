package fail

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Named failpoints. Each constant is the name node code passes to Eval or
// Hit; the real-mode failpath is Prefix + name.
const (
	MetaCommitBefore = "meta-commit-before" // before a metadata transaction commits
	MetaCommitAfter  = "meta-commit-after"  // after it committed, before the caller learns
	BlockFsyncBefore = "block-fsync-before" // before a data block file is written (and synced with data_fsync)
	BlockFsyncAfter  = "block-fsync-after"  // after the block file is written (durable with data_fsync)
	BlockRead        = "block-read"         // on reading a block file (an error fails the read)
	BlockCorrupt     = "block-corrupt"      // on reading a block file: the read sees a flipped bit
	RPCCallBefore    = "rpc-call-before"    // before an RPC leaves the caller
	RPCReplyBefore   = "rpc-reply-before"   // after a handler ran, before its reply leaves
	LayoutApply      = "layout-apply"       // while a new layout version is being applied
	MerkleSync       = "merkle-sync"        // during a Merkle anti-entropy exchange
	TableSync        = "table-sync"         // before a table partition is synced to a peer
	GCDelete         = "gc-delete"          // before a tombstone or block is collected
)

// Points returns every named failpoint, sorted.
func Points() []string {
	ps := []string{
		MetaCommitBefore, MetaCommitAfter, BlockFsyncBefore, BlockFsyncAfter,
		BlockRead, BlockCorrupt, RPCCallBefore, RPCReplyBefore, LayoutApply, MerkleSync,
		TableSync, GCDelete,
	}
	slices.Sort(ps)
	return ps
}

// ErrInjected is wrapped by every error made by Err, and by the errors that
// real-mode "error:<msg>" values decode to.
var ErrInjected = errors.New("injected fault")

// Err returns an injected error with message msg, for arming a point.
func Err(msg string) error { return fmt.Errorf("%w: %s", ErrInjected, msg) }

// Delay is a fired value asking the caller to sleep that long on its own
// clock (virtual in the simulator) before going on.
type Delay time.Duration

func (d Delay) String() string { return "delay " + time.Duration(d).String() }

// Crash is a fired value asking for the node to crash at this point. Hit
// panics with a Crash whose Point names the point; the simulator recovers
// it in the task and crashes the node, a real daemon dies of it.
type Crash struct {
	Point string
}

func (c Crash) String() string { return "crash at failpoint " + c.Point }
