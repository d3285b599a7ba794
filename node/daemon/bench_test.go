package daemon

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
)

// benchNode starts a single-node cluster (RF 1) with a layout applied and
// returns a client of it.
func benchNode(b *testing.B, fsync bool) *Client {
	b.Helper()
	secret := testSecret(9)
	cfg := testConfig(b, b.TempDir(), secret)
	cfg.ReplicationFactor, cfg.MetadataFsync = 1, fsync
	d, err := Start(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	c, err := Dial(string(d.ID())+"@"+d.Addr(), secret)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Stage(ctx, garage.StageRequest{Roles: []garage.RoleChange{{Node: d.ID(), Role: layout.StorageRole("z", 1e9)}}}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Apply(ctx, 1); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkDebugPut measures `debug put` end to end on one node: admin RPC
// over loopback with the secret handshake's encryption, a quorum read of
// the newest version, a quorum insert into the bbolt-backed table.
func BenchmarkDebugPut(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(fmt.Sprintf("fsync=%v", fsync), func(b *testing.B) {
			c := benchNode(b, fsync)
			val := make([]byte, 100)
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				if _, err := c.Put(context.Background(), fmt.Sprintf("k%d", i), "", val); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "puts/s")
		})
	}
}

// BenchmarkDebugPutParallel is BenchmarkDebugPut with concurrent clients
// of one connection, fsync on: what group commit buys.
func BenchmarkDebugPutParallel(b *testing.B) {
	c := benchNode(b, true)
	val := make([]byte, 100)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if _, err := c.Put(context.Background(), fmt.Sprintf("k%p-%d", pb, i), "", val); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "puts/s")
}

// BenchmarkDebugGet measures `debug get` of existing keys on one node.
func BenchmarkDebugGet(b *testing.B) {
	c := benchNode(b, false)
	const keys = 1000
	for i := range keys {
		if _, err := c.Put(context.Background(), fmt.Sprintf("k%d", i), "", []byte("v")); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Get(context.Background(), fmt.Sprintf("k%d", i%keys), ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "gets/s")
}
