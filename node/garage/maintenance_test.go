package garage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/sim"
)

// maintCluster boots five simulated nodes with small blocks.
func maintCluster(t *testing.T, seed uint64) *simcluster.Cluster {
	t.Helper()
	w := sim.New(sim.Config{Seed: seed, Scenario: t.Name()})
	t.Cleanup(w.Close)
	cfg := simcluster.Default()
	cfg.RTT = 10 * time.Millisecond
	cfg.Block = block.Config{BlockSize: 4096}
	c, err := simcluster.Boot(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// operate runs fn through node i's admin endpoints.
func operate(t *testing.T, c *simcluster.Cluster, i int, fn func(ctx context.Context, a *garage.Admin) error) {
	t.Helper()
	if err := c.Operate(func(ctx context.Context, _ *garage.Admin) error { return fn(ctx, c.Admin(i)) }); err != nil {
		t.Fatal(err)
	}
}

// TestWorkerEndpoints lists the workers, reads and sets their variables,
// and refuses unknown names and bad values without changing anything.
func TestWorkerEndpoints(t *testing.T) {
	c := maintCluster(t, 31)
	operate(t, c, 1, func(ctx context.Context, a *garage.Admin) error {
		ws, err := a.WorkerList(ctx, garage.WorkerListRequest{})
		if err != nil {
			return err
		}
		names := map[string]bool{}
		for i, w := range ws {
			if w.ID != i+1 || w.State == "" {
				return fmt.Errorf("worker %d: %+v", i, w)
			}
			names[w.Name] = true
		}
		for _, want := range []string{"object Merkle", "block_ref sync", "version GC", "debug_kv queue",
			"Block resync", "Block scrub", "Object abort", "Object repair"} {
			if !names[want] {
				return fmt.Errorf("no worker %q in %v", want, names)
			}
		}
		if v, err := a.SetWorkerVar(ctx, "resync-worker-count", "3"); err != nil || v.Value != "3" {
			return fmt.Errorf("set resync-worker-count: %+v %v", v, err)
		}
		for _, bad := range [][2]string{{"resync-worker-count", "0"}, {"resync-worker-count", "99"},
			{"scrub-tranquility", "x"}, {"no-such-var", "1"}} {
			if _, err := a.SetWorkerVar(ctx, bad[0], bad[1]); err == nil {
				return fmt.Errorf("set %s %s: accepted", bad[0], bad[1])
			}
		}
		vars, err := a.WorkerVars(ctx, "")
		if err != nil || len(vars) != 3 || vars[0] != (garage.WorkerVar{Name: "resync-worker-count", Value: "3"}) {
			return fmt.Errorf("worker get: %+v %v", vars, err)
		}
		busy, err := a.WorkerList(ctx, garage.WorkerListRequest{Errors: true})
		if err != nil || len(busy) >= len(ws) {
			return fmt.Errorf("worker list --errors: %d of %d workers, %v", len(busy), len(ws), err)
		}
		return nil
	})
	if w, err := c.Node(1).WorkerInfo("Block Resync"); err != nil || !strings.Contains(strings.Join(w.Info, "\n"), "resync workers: 3") {
		t.Errorf("worker info by name: %+v %v", w, err)
	}
	if _, err := c.Node(1).WorkerInfo("9999"); !errors.Is(err, garage.ErrUnknownWorker) {
		t.Errorf("worker info of an unknown id: %v", err)
	}
}

// TestRepairAndBlockEndpoints launches every repair on every node and
// follows them to their end, reads statistics and block information, and
// purges a block.
func TestRepairAndBlockEndpoints(t *testing.T) {
	c := maintCluster(t, 32)
	var bucket model.UUID
	var data []byte // four distinct blocks of 4 KiB
	for i := range 2000 {
		data = fmt.Appendf(data, "%07d\n", i)
	}
	operate(t, c, 0, func(ctx context.Context, a *garage.Admin) error {
		if _, err := a.BucketCreate(ctx, "maint"); err != nil {
			return err
		}
		var err error
		if bucket, err = c.Node(0).Objects().ResolveBucket("maint", ""); err != nil {
			return err
		}
		_, err = c.Node(0).Objects().Put(ctx, bucket, "obj", bytes.NewReader(data), model.Meta{})
		return err
	})
	if err := c.W.RunFor(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{garage.RepairTables, garage.RepairBlocks, garage.RepairVersions, garage.RepairBlockRefs} {
		operate(t, c, 2, func(ctx context.Context, a *garage.Admin) error {
			rep, err := a.Repair(ctx, garage.RepairRequest{What: what, AllNodes: true})
			if err != nil || len(rep.Nodes) != 5 {
				return fmt.Errorf("repair %s: %+v %v", what, rep, err)
			}
			for _, nr := range rep.Nodes {
				if nr.Error != "" || !nr.Status.Launched {
					return fmt.Errorf("repair %s on %s: %+v", what, nr.Node.Short(), nr)
				}
			}
			return nil
		})
		if err := c.W.RunFor(2 * time.Minute); err != nil {
			t.Fatal(err)
		}
		for i := range c.IDs {
			st, err := c.Node(i).RepairState(what)
			if err != nil || st.Running || !strings.HasPrefix(st.Progress, "done in") || st.Failed > 0 {
				t.Errorf("repair %s on node %d: %+v %v", what, i, st, err)
			}
		}
	}
	operate(t, c, 3, func(ctx context.Context, a *garage.Admin) error {
		if _, err := a.Repair(ctx, garage.RepairRequest{What: "everything"}); err == nil {
			return errors.New("an unknown repair was accepted")
		}
		rep, err := a.Repair(ctx, garage.RepairRequest{What: garage.RepairScrub, Scrub: garage.ScrubStart})
		if err != nil || !rep.Nodes[0].Status.Running {
			return fmt.Errorf("scrub start: %+v %v", rep, err)
		}
		return nil
	})
	testStats(t, c, len(data))
	testBlocks(t, c, bucket)
}

func testStats(t *testing.T, c *simcluster.Cluster, size int) {
	operate(t, c, 4, func(ctx context.Context, a *garage.Admin) error {
		rep, err := a.Stats(ctx, garage.StatsRequest{AllNodes: true})
		if err != nil || len(rep.Nodes) != 5 || rep.Cluster.Buckets != 1 || rep.Cluster.Objects != 1 || rep.Cluster.Bytes != int64(size) {
			return fmt.Errorf("stats: %+v %v", rep, err)
		}
		var objects, rcs int64
		for _, n := range rep.Nodes {
			if n.Error != "" || len(n.Tables) != 9 || n.Blocks == nil {
				return fmt.Errorf("node stats %+v", n)
			}
			objects += n.Objects
			rcs += int64(n.Blocks.RCEntries)
		}
		if objects != 3 || rcs != 3*4 {
			return fmt.Errorf("objects on the nodes: %d, reference counts: %d; want 3 and 12 (RF 3)", objects, rcs)
		}
		return nil
	})
}

// testBlocks reads the information of the object's first block and
// purges it: the object is gone.
func testBlocks(t *testing.T, c *simcluster.Cluster, bucket model.UUID) {
	var first block.Hash
	operate(t, c, 0, func(ctx context.Context, a *garage.Admin) error {
		o, _, err := c.Node(0).Objects().Tables().Objects.Get(ctx, bucket[:], []byte("obj"))
		if err != nil {
			return err
		}
		v, _ := o.Visible()
		first = v.State.Block
		in, err := a.BlockInfo(ctx, first.String())
		if err != nil || len(in.Users) != 1 || in.Users[0].Key != "obj" || in.Users[0].Bucket != bucket.String() {
			return fmt.Errorf("block info: %+v %v", in, err)
		}
		if _, err := a.BlockInfo(ctx, "abc"); err == nil || !strings.Contains(err.Error(), "64 hex digits") {
			return fmt.Errorf("block info of a short hash: %v", err)
		}
		if n, err := a.BlockRetryNow(ctx, garage.BlocksRequest{All: true}); err != nil || n != 0 {
			return fmt.Errorf("retry-now --all without errors: %d %v", n, err)
		}
		if _, err := a.BlockPurge(ctx, garage.BlocksRequest{}); err == nil {
			return errors.New("purge of nothing accepted")
		}
		rep, err := a.BlockPurge(ctx, garage.BlocksRequest{Hashes: []string{first.String()}})
		if err != nil || rep.Blocks != 1 || rep.Objects != 1 || rep.Versions != 1 {
			return fmt.Errorf("purge: %+v %v", rep, err)
		}
		_, err = c.Node(1).Objects().Head(ctx, bucket, "obj", object.GetOptions{})
		if !errors.Is(err, object.ErrNoSuchKey) {
			return fmt.Errorf("head of the purged object: %v", err)
		}
		return nil
	})
}
