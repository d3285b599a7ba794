package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
)

// clusterOps registers GetClusterStatus and GetClusterHealth.
func (s *Server) clusterOps(ops map[string]op) {
	ops["GetClusterStatus"] = op{http.MethodGet, func(*http.Request) (any, error) { return s.clusterStatus(), nil }}
	ops["GetClusterHealth"] = op{http.MethodGet, func(*http.Request) (any, error) {
		return healthOf(s.cfg.Node.Status().Health), nil
	}}
}

// NodeResp is one node of GetClusterStatus.
type NodeResp struct {
	ID                string     `json:"id"`
	Addr              string     `json:"addr,omitempty"`
	Hostname          string     `json:"hostname,omitempty"`
	IsUp              bool       `json:"isUp"`
	LastSeenSecsAgo   *int64     `json:"lastSeenSecsAgo"`
	Role              *RoleResp  `json:"role"`
	DataPartition     *SpaceResp `json:"dataPartition,omitempty"`
	MetadataPartition *SpaceResp `json:"metadataPartition,omitempty"`
}

// RoleResp is a node's role; Capacity is nil for a gateway.
type RoleResp struct {
	Zone     string   `json:"zone"`
	Capacity *int64   `json:"capacity"`
	Tags     []string `json:"tags"`
}

// SpaceResp is the free and total bytes of a file system.
type SpaceResp struct {
	Available uint64 `json:"available"`
	Total     uint64 `json:"total"`
}

// StatusResp is GetClusterStatus' reply.
type StatusResp struct {
	Node          string     `json:"node"`
	LayoutVersion uint64     `json:"layoutVersion"`
	Nodes         []NodeResp `json:"nodes"`
}

func (s *Server) clusterStatus() StatusResp {
	st := s.cfg.Node.Status()
	out := StatusResp{Node: string(st.Self), LayoutVersion: st.LayoutVersion, Nodes: []NodeResp{}}
	for _, n := range st.Nodes {
		out.Nodes = append(out.Nodes, nodeResp(n))
	}
	return out
}

func nodeResp(n cluster.NodeInfo) NodeResp {
	r := NodeResp{ID: string(n.ID), Addr: n.Addr, Hostname: n.Hostname, IsUp: n.Up}
	if n.LastSeen > 0 && !n.Self {
		ago := int64(n.Ago / time.Second)
		r.LastSeenSecsAgo = &ago
	}
	if n.HasRole {
		r.Role = roleResp(n.Role)
	}
	if sp := n.Space; sp.DataTotal > 0 {
		r.DataPartition = &SpaceResp{Available: sp.DataFree, Total: sp.DataTotal}
		r.MetadataPartition = &SpaceResp{Available: sp.MetaFree, Total: sp.MetaTotal}
	}
	return r
}

func roleResp(role layout.Role) *RoleResp {
	r := &RoleResp{Zone: role.Zone, Tags: append([]string{}, role.Tags...)}
	if !role.Gateway {
		c := role.Capacity
		r.Capacity = &c
	}
	return r
}

// HealthResp is GetClusterHealth's reply, as Garage v2's.
type HealthResp struct {
	Status           string `json:"status"`
	KnownNodes       int    `json:"knownNodes"`
	ConnectedNodes   int    `json:"connectedNodes"`
	StorageNodes     int    `json:"storageNodes"`
	StorageNodesUp   int    `json:"storageNodesUp"`
	Partitions       int    `json:"partitions"`
	PartitionsQuorum int    `json:"partitionsQuorum"`
	PartitionsAllOK  int    `json:"partitionsAllOk"`
}

func healthOf(h cluster.Health) HealthResp {
	return HealthResp{Status: h.Status.String(), KnownNodes: h.KnownNodes, ConnectedNodes: h.ConnectedNodes,
		StorageNodes: h.StorageNodes, StorageNodesUp: h.StorageNodesUp, Partitions: h.Partitions,
		PartitionsQuorum: h.PartitionsQuorum, PartitionsAllOK: h.PartitionsAllOK}
}

// health serves /health: 200 when this node can serve reads and writes
// (a write quorum up for every partition in every live layout version,
// which a read quorum never exceeds), 503 with the reason otherwise.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	h := s.cfg.Node.Status().Health
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if reason := unhealthy(h); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "Garage cannot serve reads and writes: %s.\n", reason)
		return
	}
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "Garage is %s: every partition has a quorum (%d of %d storage nodes up).\n",
		operational(h.Status), h.StorageNodesUp, h.StorageNodes)
}

// unhealthy says why a node with health h cannot serve ("" if it can).
func unhealthy(h cluster.Health) string {
	switch {
	case h.Partitions == 0 || h.StorageNodes == 0:
		return "no cluster layout has been applied yet (garage layout assign, then garage layout apply)"
	case h.PartitionsQuorum < h.Partitions:
		return fmt.Sprintf("%d of %d partitions lack a quorum (%d of %d storage nodes up)",
			h.Partitions-h.PartitionsQuorum, h.Partitions, h.StorageNodesUp, h.StorageNodes)
	}
	return ""
}

func operational(st cluster.HealthStatus) string {
	if st == cluster.Healthy {
		return "fully operational"
	}
	return "operational but degraded"
}
