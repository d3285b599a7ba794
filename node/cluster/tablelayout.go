package cluster

import (
	"slices"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// tableSync is one table's progress, registered by each Sharded or Full
// handle; the node's sync tracker rises to the version every registered
// table reported. Its field is guarded by the cluster's mutex.
type tableSync struct {
	done uint64
}

// register adds a table to the ones whose sync the node waits for.
func (c *Cluster) registerTable() *tableSync {
	ts := &tableSync{}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables = append(c.tables, ts)
	return ts
}

// tableSynced records that one table synced version v, and raises the
// node's sync tracker to the smallest version every table reported.
func (c *Cluster) tableSynced(ts *tableSync, v uint64) {
	c.mu.Lock()
	ts.done = max(ts.done, v)
	all := ts.done
	for _, o := range c.tables {
		all = min(all, o.done)
	}
	c.mu.Unlock()
	if all > 0 {
		c.SyncDone(all)
	}
}

// shardedSnapshot returns the sharding of the current history, computed
// once per history.
func (c *Cluster) shardedSnapshot() table.Sharding {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shardOf == c.hist {
		return c.shard
	}
	// Tracker moves make new histories without changing the live
	// versions: keep the partitions, update the sync target.
	if key := liveVersions(c.hist); key == c.shardKey && c.shard.Parts != nil {
		v, _ := c.hist.SyncTarget()
		c.shard = c.shard.WithVersion(v)
	} else {
		c.shard, c.shardKey = table.ShardingOf(c.hist), key
	}
	c.shardOf = c.hist
	return c.shard
}

// liveVersions identifies the live layout versions of h: a version
// number names one assignment, and live versions are consecutive.
func liveVersions(h *layout.History) [2]uint64 {
	return [2]uint64{h.Versions[0].Number, h.Current().Number}
}

// Sharding returns the placement of a sharded table: the layout's
// partitions, one node set per live version.
func (s *sharded) Sharding() table.Sharding { return s.c.shardedSnapshot() }

// SyncDone reports that this table synced layout version v.
func (s *sharded) SyncDone(v uint64) { s.c.tableSynced(s.sync, v) }

// Changed returns the event set at the next layout change (see
// table.LayoutNotifier).
func (s *sharded) Changed() rt.Event { return s.c.LayoutChanged() }

// Sharding returns the placement of a fully replicated table: a single
// partition (Bits 0) with one set per live version holding its every node.
func (f *full) Sharding() table.Sharding { return f.c.fullSnapshot() }

// fullSnapshot returns the fully replicated tables' sharding of the
// current history, computed once per history (each table's sync worker
// looks at every layout change).
func (c *Cluster) fullSnapshot() table.Sharding {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fullOf != c.hist {
		h := c.hist
		s := table.Sharding{Parts: []table.Part{{Sets: fullSets(h)}}}
		if v, ok := h.SyncTarget(); ok {
			s.Version = v
		}
		c.fullShard, c.fullOf = s.WithFingerprint(), h
	}
	return c.fullShard
}

// SyncDone reports that this table synced layout version v.
func (f *full) SyncDone(v uint64) { f.c.tableSynced(f.sync, v) }

// Changed returns the event set at the next layout change (see
// table.LayoutNotifier).
func (f *full) Changed() rt.Event { return f.c.LayoutChanged() }

func fullSets(h *layout.History) [][]rt.NodeID {
	var sets [][]rt.NodeID
	for i := range h.Versions {
		if nodes := h.Versions[i].Nodes(); len(nodes) > 0 {
			sets = append(sets, slices.Clone(nodes))
		}
	}
	return sets
}

// Guard marks a write of this table in flight; see Cluster.Guard. Tables
// find it by asserting interface{ Guard() func() } on their Layout.
func (s *sharded) Guard() (release func()) { return s.c.Guard() }

// Guard marks a write of this table in flight; see Cluster.Guard.
func (f *full) Guard() (release func()) { return f.c.Guard() }
