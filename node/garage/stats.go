package garage

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/table"
)

// nodeTable is what the node's maintenance needs of each of its tables.
type nodeTable interface {
	Name() string
	Todo() (int, error)
	GCTodo() (int, error)
	Queued() (int, error)
	Count() (int, error)
	Workers() table.Workers
	SyncOnce(ctx context.Context) error
}

// tables lists every table of the node, in a fixed order: the debug
// table, then the object model's in Garage's order.
func (n *Node) tables() []nodeTable {
	t := n.objects.Tables()
	return []nodeTable{n.kv.t, t.Buckets, t.Aliases, t.Keys, t.Objects, t.Versions, t.BlockRefs, t.MPUs, t.Counters}
}

// TableStats returns the queue lengths of every table of the node, in a
// fixed order (Items is left zero: counting entries reads them all).
func (n *Node) TableStats() ([]TableStats, error) {
	var out []TableStats
	for _, t := range n.tables() {
		st, err := tableStats(t, false)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// tableStats reads the queues of t and, if items, counts its entries.
func tableStats(t nodeTable, items bool) (TableStats, error) {
	st := TableStats{Table: t.Name()}
	var err error
	count := func(dst *int, fn func() (int, error)) {
		if err == nil {
			*dst, err = fn()
		}
	}
	count(&st.MerkleTodo, t.Todo)
	count(&st.GCTodo, t.GCTodo)
	count(&st.InsertQueue, t.Queued)
	if items {
		count(&st.Items, t.Count)
	}
	if err != nil {
		return st, fmt.Errorf("table %s: %w", t.Name(), err)
	}
	return st, nil
}

// BlockStats returns the block manager's figures (nil without block
// storage). It walks the data directories (see block.Manager.Usage).
func (n *Node) BlockStats() (*BlockStats, error) {
	if n.block == nil {
		return nil, nil
	}
	var st BlockStats
	var err error
	if st.RCEntries, err = n.block.RCEntries(); err != nil {
		return nil, err
	}
	if st.ResyncQueue, err = n.block.QueueLen(); err != nil {
		return nil, err
	}
	errs, err := n.block.Errors()
	if err != nil {
		return nil, err
	}
	st.ResyncErrors = len(errs)
	u, err := n.block.Usage()
	st.Files, st.Bytes = u.Files, u.Bytes
	return &st, err
}

// LocalStats returns this node's statistics: its tables (entries
// counted), blocks and the objects of its replicas.
func (n *Node) LocalStats() (NodeStats, error) {
	st := NodeStats{Node: n.ID(), Hostname: n.cfg.Cluster.Hostname}
	for _, t := range n.tables() {
		ts, err := tableStats(t, true)
		if err != nil {
			return st, err
		}
		st.Tables = append(st.Tables, ts)
	}
	var err error
	if st.Blocks, err = n.BlockStats(); err != nil {
		return st, fmt.Errorf("block statistics: %w", err)
	}
	c, err := n.objects.Tables().LocalCounts()
	st.Objects, st.Bytes, st.Uploads = c.Objects, c.Bytes, c.Uploads
	return st, err
}

// ClusterStats counts buckets and keys (local reads: their tables are
// fully replicated) and adds up every bucket's counters (quorum reads).
func (n *Node) ClusterStats(ctx context.Context) (ClusterStats, error) {
	var cs ClusterStats
	buckets, err := n.objects.ListBuckets()
	if err != nil {
		return cs, err
	}
	keys, err := n.objects.ListKeys()
	if err != nil {
		return cs, err
	}
	cs.Buckets, cs.Keys = len(buckets), len(keys)
	for _, b := range buckets {
		c, err := n.objects.BucketCounts(ctx, b.ID)
		if err != nil {
			return cs, err
		}
		cs.Objects, cs.Bytes, cs.Uploads = cs.Objects+c.Objects, cs.Bytes+c.Bytes, cs.Uploads+c.Uploads
	}
	return cs, nil
}

// Stats returns this node's statistics, or every node's (req.AllNodes),
// and the cluster's.
func (n *Node) Stats(ctx context.Context, req StatsRequest) (StatsReply, error) {
	var rep StatsReply
	var err error
	if !req.NodeOnly {
		if rep.Cluster, err = n.ClusterStats(ctx); err != nil {
			return rep, err
		}
	}
	if !req.AllNodes {
		st, err := n.LocalStats()
		rep.Nodes = []NodeStats{st}
		return rep, err
	}
	for _, r := range FanOut(ctx, n, n.knownNodes(), func(ctx context.Context, a *Admin) (NodeStats, error) {
		rep, err := a.Stats(ctx, StatsRequest{NodeOnly: true})
		if err != nil || len(rep.Nodes) != 1 {
			return NodeStats{}, err
		}
		return rep.Nodes[0], nil
	}) {
		st := r.Value
		st.Node = r.Node
		if r.Err != nil {
			st.Error = r.Err.Error()
		}
		rep.Nodes = append(rep.Nodes, st)
	}
	return rep, nil
}
