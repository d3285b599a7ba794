package garage

import (
	"fmt"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/table"
)

// Node is one assembled Garage node: its membership and layout, its
// tables and their workers, and the admin operations.
type Node struct {
	env     rt.Env
	cfg     Config
	cluster *cluster.Cluster
	quorums *quorums
	kv      *KV
	block   *block.Manager // nil on a node without block files
	objects *object.Service
	s3      *s3.Service
	s3store s3.Store
	jobs    *jobs // the repairs launched
}

// New builds the node of env from cfg: it starts cluster membership and
// the layout (from the state persisted in env.KV, if any), opens every
// table with its background workers, and registers the RPC endpoints of
// the tables, the cluster and the admin operations. It fails on a bad
// configuration or unreadable persisted state.
func New(env rt.Env, cfg Config) (*Node, error) {
	if ab, ok := env.Net.(cluster.AddrBook); ok && cfg.Cluster.AddrBook == nil {
		cfg.Cluster.AddrBook = ab
	}
	c, err := cluster.New(env, cfg.Cluster)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", env.ID.Short(), err)
	}
	n := &Node{env: env, cfg: cfg, cluster: c}
	n.quorums = newQuorums(env.Tasks, c.ReplicationFactor)
	n.kv = openKV(env, n.sharded(), cfg)
	cfg.Block.Mode = cfg.Cluster.Mode
	cfg.Block.NoVerify = cfg.Block.NoVerify || cfg.Controls.NoBlockVerify
	if n.block, err = openBlock(env, c, cfg.Block); err != nil {
		return nil, fmt.Errorf("node %s: %w", env.ID.Short(), err)
	}
	n.objects = n.openObjects()
	n.openS3()
	n.jobs = newJobs(env)
	if err := n.loadWorkerVars(); err != nil {
		return nil, fmt.Errorf("node %s: worker settings: %w", env.ID.Short(), err)
	}
	n.register()
	return n, nil
}

// sharded returns the layout of one sharded table: the cluster's, under
// the node's quorum override and negative controls.
func (n *Node) sharded() table.Layout {
	lay := cluster.Sharded(n.cluster, n.cfg.Cluster.Mode)
	if n.cfg.Controls.SingleVersionLayout {
		lay = singleVersion{Layout: lay, self: n.env.ID}
	}
	return n.quorums.wrap(lay)
}

// openObjects opens the object model's tables, with the block manager's
// reference counts behind the block_ref table (none without block
// files), and the object service over them.
func (n *Node) openObjects() *object.Service {
	lays := model.Layouts{Sharded: n.sharded, Full: func() table.Layout { return cluster.Full(n.cluster) }}
	var refs model.Refcounter = noRefs{}
	var blocks object.Blocks
	if n.block != nil {
		refs, blocks = n.block, n.block
	}
	oc := n.cfg.Objects
	oc.NoRedo = oc.NoRedo || n.cfg.Controls.NoTimestampRedo
	return object.New(n.env, model.Open(n.env, lays, refs, n.cfg.Tables), blocks, oc)
}

// noRefs counts nothing: the reference counts of a node without block
// files, which stores no block.
type noRefs struct{}

func (noRefs) IncRef(rt.Tx, model.Hash) error { return nil }
func (noRefs) DecRef(rt.Tx, model.Hash) error { return nil }

// Objects returns the node's object service.
func (n *Node) Objects() *object.Service { return n.objects }

// ID returns the node's id.
func (n *Node) ID() rt.NodeID { return n.env.ID }

// Cluster returns the node's membership and layout state.
func (n *Node) Cluster() *cluster.Cluster { return n.cluster }

// KV returns the node's debug table.
func (n *Node) KV() *KV { return n.kv }

// openBlock opens the block manager over cfg's data directories, or over
// env.Files (one directory) when cfg names none; its write quorum follows
// the cluster's consistency mode. A node without files
// (no data_dir) has no block manager.
func openBlock(env rt.Env, c *cluster.Cluster, cfg block.Config) (*block.Manager, error) {
	if len(cfg.Dirs) == 0 {
		if env.Files == nil {
			return nil, nil
		}
		cfg.Dirs = []block.Dir{{Files: env.Files, Capacity: 1}}
	}
	return block.New(env, c, cfg)
}

// Block returns the node's block manager (nil without block files).
func (n *Node) Block() *block.Manager { return n.block }
