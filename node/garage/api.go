package garage

import (
	"encoding/json"
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/rt"
)

// Admin RPC endpoints, served by every node to the CLI, to the simulated
// operator and to any peer that knows the cluster secret. Requests and
// replies are JSON, except the layout history (its canonical encoding).
const (
	EndpointStatus   = "admin/status"
	EndpointLayout   = "admin/layout"
	EndpointStage    = "admin/layout/stage"
	EndpointApply    = "admin/layout/apply"
	EndpointRevert   = "admin/layout/revert"
	EndpointSkipDead = "admin/layout/skip-dead-nodes"
	EndpointConnect  = "admin/connect"
	EndpointPut      = "admin/debug/put"
	EndpointGet      = "admin/debug/get"
	EndpointDelete   = "admin/debug/delete"
	EndpointList     = "admin/debug/list"
)

// StatusReply is a node's view of the cluster: `garage status` and
// `garage health`.
type StatusReply struct {
	Self          rt.NodeID
	Nodes         []cluster.NodeInfo
	Health        cluster.Health
	LayoutVersion uint64
	// Staged lists the nodes with a staged role change, for id resolution.
	Staged []rt.NodeID
}

// RoleChange is one staged change of a node's role.
type RoleChange struct {
	Node   rt.NodeID
	Remove bool
	Role   layout.Role
}

// StageRequest stages role changes and, if Redundancy is set, a zone
// redundancy (0: maximum).
type StageRequest struct {
	Roles      []RoleChange
	Redundancy *int
}

// ApplyRequest applies the staged changes as version Version.
type ApplyRequest struct{ Version uint64 }

// SkipDeadRequest is `layout skip-dead-nodes`.
type SkipDeadRequest struct {
	Version          uint64
	AllowMissingData bool
}

// SkipDeadReply names the nodes skipped.
type SkipDeadReply struct{ Skipped []rt.NodeID }

// ConnectRequest is `node connect <id>@<addr>`.
type ConnectRequest struct{ Peer string }

// KVRequest is a put, get or delete of one register of the debug table
// (Sort empty for a plain register), or a listing of the partition key
// Key after Sort, at most Limit entries.
type KVRequest struct {
	Key   string
	Sort  string `json:",omitempty"`
	Value []byte `json:",omitempty"`
	Limit int    `json:",omitempty"`
}

// KVReply is the register read or the timestamp written.
type KVReply struct {
	TS      uint64
	Found   bool
	Deleted bool
	Value   []byte
}

// ListReply is a page of a listing and the cursor of the next one ("" at
// the end).
type ListReply struct {
	Items []Item
	Next  string
}

// none is the empty request or reply.
type none struct{}

// decode unmarshals an admin message, naming the endpoint on error.
func decode[T any](endpoint string, b []byte) (T, error) {
	var v T
	if len(b) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("decode %s message: %w", endpoint, err)
	}
	return v, nil
}

// encode marshals an admin message; the types above always marshal.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("garage: encode %T: %v", v, err))
	}
	return b
}
