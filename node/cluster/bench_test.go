package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/table"
)

// benchCluster returns n1 of a 5-node simulated cluster at layout version 1.
func benchCluster(b *testing.B) *Cluster {
	h := newHarness(b, 1, 5, func(c *Config) { c.AutoSync = true })
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	h.run(10 * time.Second)
	return h.cs["n1"]
}

func BenchmarkShardedReadNodes(b *testing.B) {
	repl := Sharded(benchCluster(b), table.Consistent)
	keys := benchKeys()
	b.ResetTimer()
	for i := range b.N {
		repl.ReadNodes(keys[i%len(keys)])
	}
}

func BenchmarkShardedWriteSets(b *testing.B) {
	repl := Sharded(benchCluster(b), table.Consistent)
	keys := benchKeys()
	b.ResetTimer()
	for i := range b.N {
		repl.WriteSets(keys[i%len(keys)])
	}
}

func benchKeys() [][]byte {
	keys := make([][]byte, 1024)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "bucket/object-%d", i)
	}
	return keys
}

func BenchmarkComputeHealth(b *testing.B) {
	c := benchCluster(b)
	b.ResetTimer()
	for range b.N {
		c.Health()
	}
}

// BenchmarkMergeEncoded measures receiving a pushed history that changes
// one tracker: decode, clone, merge, encode, persist.
func BenchmarkMergeEncoded(b *testing.B) {
	c := benchCluster(b)
	h := c.History()
	encs := make([][]byte, 64)
	for i := range encs {
		h.Synced("n9", uint64(i+2))
		encs[i], _ = h.Encode()
	}
	b.ResetTimer()
	for i := range b.N {
		if err := c.mergeEncoded(context.Background(), encs[i%len(encs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvergence reports, for growing clusters, the virtual time
// until nodes that know one bootstrap peer form a full mesh, and until a
// layout applied on n1 is on every node.
func BenchmarkConvergence(b *testing.B) {
	for _, n := range []int{5, 20, 50} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			var mesh, apply time.Duration
			for i := range b.N {
				m, a := convergence(b, uint64(i+1), n)
				mesh, apply = mesh+m, apply+a
			}
			b.ReportMetric(float64(mesh.Milliseconds())/float64(b.N), "vms-mesh")
			b.ReportMetric(float64(apply.Milliseconds())/float64(b.N), "vms-apply")
		})
	}
}

func convergence(b *testing.B, seed uint64, n int) (mesh, apply time.Duration) {
	h := newHarness(b, seed, n, nil)
	h.until("full mesh", time.Minute, h.meshed)
	mesh = h.w.Now()
	c := h.cs["n1"]
	h.do(func(context.Context) {
		for i, id := range h.ids {
			if err := c.StageRole(id, layout.StorageRole(zoneOf(i+1), 100*gb)); err != nil {
				b.Error(err)
			}
		}
	})
	start := h.w.Now()
	h.do(func(context.Context) {
		if _, err := c.Apply(1); err != nil {
			b.Error(err)
		}
	})
	h.until("applied everywhere", time.Minute, func() bool {
		return h.all(func(c *Cluster) bool { return c.layoutSnapshot().Current().Number == 1 })
	})
	return mesh, h.w.Now() - start
}
