package admin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gogarage/garage/node/garage"
)

// maintenanceOps registers repairs and statistics of Garage v2's admin
// API.
func (s *Server) maintenanceOps(ops map[string]op) {
	ops["LaunchRepairOperation"] = op{http.MethodPost, s.launchRepair}
	ops["GetRepairStatus"] = op{http.MethodGet, s.repairStatus}
	ops["GetNodeStatistics"] = op{http.MethodGet, func(r *http.Request) (any, error) {
		return perNode(s, r, func(ctx context.Context, a *garage.Admin) (NodeStats, error) {
			rep, err := a.Stats(ctx, garage.StatsRequest{NodeOnly: true})
			if err != nil || len(rep.Nodes) != 1 {
				return NodeStats{}, err
			}
			return nodeStatsOf(rep.Nodes[0]), nil
		})
	}}
	ops["GetClusterStatistics"] = op{http.MethodGet, func(r *http.Request) (any, error) {
		c, err := s.cfg.Node.ClusterStats(r.Context())
		return ClusterStats{Buckets: c.Buckets, Keys: c.Keys, Objects: c.Objects, Bytes: c.Bytes, UnfinishedUploads: c.Uploads}, err
	}}
}

// RepairType is what LaunchRepairOperation repairs: "tables", "blocks",
// "versions", "blockRefs", or {"scrub": "start"|"pause"|"resume"|"cancel"}.
type RepairType struct {
	What, Scrub string
}

// UnmarshalJSON reads a repair type.
func (t *RepairType) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err == nil {
		t.What = map[string]string{"blockRefs": garage.RepairBlockRefs}[name]
		if t.What == "" {
			t.What = name
		}
		return nil
	}
	var scrub struct {
		Scrub string `json:"scrub"`
	}
	if err := decodeStrict(b, &scrub); err != nil {
		return badRequest(`repairType: want "tables", "blocks", "versions", "blockRefs" or {"scrub": "start"}, got %s`, b)
	}
	t.What, t.Scrub = garage.RepairScrub, scrub.Scrub
	return nil
}

// RepairReq is LaunchRepairOperation's request.
type RepairReq struct {
	RepairType RepairType `json:"repairType"`
}

func (s *Server) launchRepair(r *http.Request) (any, error) {
	var req RepairReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.RepairType.What == "" {
		return nil, badRequest("repairType missing")
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (RepairStatus, error) {
		rep, err := a.Repair(ctx, garage.RepairRequest{What: req.RepairType.What, Scrub: req.RepairType.Scrub})
		if err != nil || len(rep.Nodes) != 1 {
			return RepairStatus{}, err
		}
		return RepairStatus(rep.Nodes[0].Status), nil
	})
}

// repairStatus serves GetRepairStatus?repairType=versions: the state of
// a repair on the selected nodes.
func (s *Server) repairStatus(r *http.Request) (any, error) {
	what := r.URL.Query().Get("repairType")
	if what == "blockRefs" {
		what = garage.RepairBlockRefs
	}
	if what == "" {
		return nil, badRequest("?repairType= missing: tables, blocks, versions, blockRefs or scrub")
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (RepairStatus, error) {
		st, err := a.RepairState(ctx, what)
		return RepairStatus(st), err
	})
}

// RepairStatus is the state of a repair on a node.
type RepairStatus struct {
	What     string `json:"repairType"`
	Launched bool   `json:"launched"`
	Running  bool   `json:"running"`
	Paused   bool   `json:"paused"`
	Progress string `json:"progress"`
	Checked  uint64 `json:"checked"`
	Deleted  uint64 `json:"deleted"`
	Failed   uint64 `json:"failed"`
	Error    string `json:"lastError"`
}

// TableStats are a table's entries and queues on a node.
type TableStats struct {
	Table       string `json:"table"`
	Items       int    `json:"items"`
	MerkleTodo  int    `json:"merkleTodo"`
	GCTodo      int    `json:"gcTodo"`
	InsertQueue int    `json:"insertQueue"`
}

// BlockStats are a node's block manager figures.
type BlockStats struct {
	RCEntries    int   `json:"rcEntries"`
	Files        int   `json:"files"`
	Bytes        int64 `json:"bytes"`
	ResyncQueue  int   `json:"resyncQueueLength"`
	ResyncErrors int   `json:"resyncErrors"`
}

// NodeStats are GetNodeStatistics' figures of one node.
type NodeStats struct {
	Hostname          string       `json:"hostname"`
	Tables            []TableStats `json:"tables"`
	Blocks            *BlockStats  `json:"blocks"`
	Objects           int64        `json:"objects"`
	Bytes             int64        `json:"bytes"`
	UnfinishedUploads int64        `json:"unfinishedUploads"`
}

func nodeStatsOf(n garage.NodeStats) NodeStats {
	out := NodeStats{Hostname: n.Hostname, Tables: []TableStats{}, Objects: n.Objects, Bytes: n.Bytes, UnfinishedUploads: n.Uploads}
	for _, t := range n.Tables {
		out.Tables = append(out.Tables, TableStats(t))
	}
	if b := n.Blocks; b != nil {
		bs := BlockStats(*b)
		out.Blocks = &bs
	}
	return out
}

// ClusterStats are GetClusterStatistics' figures.
type ClusterStats struct {
	Buckets           int   `json:"buckets"`
	Keys              int   `json:"keys"`
	Objects           int64 `json:"objects"`
	Bytes             int64 `json:"bytes"`
	UnfinishedUploads int64 `json:"unfinishedUploads"`
}
