package table

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// queue queues rows on node id in one transaction, synced to disk.
func (c *cluster) queue(id rt.NodeID, rows ...row) error {
	return c.do(func(context.Context) error {
		env := c.w.Env(id)
		err := env.KV.Update(func(tx rt.Tx) error {
			for _, r := range rows {
				if err := c.tabs[id].QueueInsert(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return env.KV.Sync()
	})
}

// queued returns the length of node id's insert queue, or -1 if it
// cannot be read (the node is down or has not booted again yet).
func (c *cluster) queued(id rt.NodeID) int {
	n, err := c.tabs[id].Queued()
	if err != nil {
		return -1
	}
	return n
}

// readAll reports whether every row reads back, through node via, with
// its value.
func (c *cluster) readAll(via rt.NodeID, rows []row) bool {
	for _, r := range rows {
		got, ok, err := c.get(via, r.PK, r.SK)
		if err != nil || !ok || got.Val() != r.Val() {
			return false
		}
	}
	return true
}

func TestQueuedEntriesMergeInPlace(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 60, nodes: 5, cfg: Config{NoWorkers: true}})
	must(t, c.queue("n1", mkRow("p", "k", 2, "new"), mkRow("q", "k", 1, "x")))
	must(t, c.queue("n1", mkRow("p", "k", 1, "old")))
	if n := c.queued("n1"); n != 2 {
		t.Fatalf("queue holds %d entries, want 2 (one per key)", n)
	}
	if ok := c.readAll("n2", []row{mkRow("p", "k", 2, "new")}); ok {
		t.Fatal("a queued entry is readable before any flush: the check cannot fail")
	}
	var n int
	must(t, c.do(func(ctx context.Context) (err error) { n, err = c.tabs["n1"].FlushQueue(ctx); return err }))
	if n != 2 || c.queued("n1") != 0 {
		t.Fatalf("flush wrote %d, %d left; want 2 written, none left", n, c.queued("n1"))
	}
	if !c.readAll("n2", []row{mkRow("p", "k", 2, "new"), mkRow("q", "k", 1, "x")}) {
		t.Fatal("flushed entries do not read back merged")
	}
}

// TestQueueSurvivesCrash queues entries while no write quorum is up, so
// that flushes fail; the queueing node then crashes, and everything
// restarts: the worker of the new incarnation flushes the persisted queue.
func TestQueueSurvivesCrash(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 61, nodes: 5, cfg: syncCfg})
	rows := rowsN("crash", 40, 7)
	for _, id := range c.ids[1:] {
		c.w.Crash(id)
	}
	must(t, c.queue("n1", rows...))
	must(t, c.w.RunFor(10*time.Second))
	if n := c.queued("n1"); n != len(rows) {
		t.Fatalf("queue holds %d entries without a quorum up, want %d", n, len(rows))
	}
	c.w.Crash("n1")
	for _, id := range c.ids {
		c.w.Restart(id)
	}
	must(t, c.w.RunUntil(func() bool { return c.queued("n1") == 0 }, 5*time.Minute))
	if !c.readAll("n4", rows) {
		t.Fatal("entries of the flushed queue do not read back")
	}
}

// stampSchema reports the register's timestamp as the entry's stamp.
type stampSchema struct{ Spec[row] }

func (stampSchema) Stamp(r row) uint64 { return r.V.Time() }

func TestInsertNewestReportsNewerVersions(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 62, nodes: 5, schema: stampSchema{rowSchema()}, cfg: Config{NoWorkers: true}})
	newest := func(via rt.NodeID, r row) uint64 {
		var ts uint64
		must(t, c.do(func(ctx context.Context) (err error) { ts, err = c.tabs[via].InsertNewest(ctx, r); return err }))
		return ts
	}
	if got := newest("n1", mkRow("a", "k", 5, "v")); got != 0 {
		t.Errorf("first write of a key: newest %d, want 0", got)
	}
	must(t, c.insert("n2", mkRow("a", "k", 100, "ahead")))
	for _, id := range c.ids {
		if got := newest(id, mkRow("a", "k", 6, "behind")); got < 100 {
			t.Errorf("write through %s after an acknowledged write at 100: newest %d", id, got)
		}
	}
}
