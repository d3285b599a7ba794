package table

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/boltkv"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// boltTable starts a real single node (RF 1) with a bbolt metadata file
// and the row table on it.
func boltTable(b *testing.B, fsync bool) *Table[row] {
	b.Helper()
	db, err := boltkv.Open(filepath.Join(b.TempDir(), "meta.db"), boltkv.Options{Fsync: fsync})
	if err != nil {
		b.Fatal(err)
	}
	nd, err := host.Start(host.Config{ID: "solo", KV: db, Net: host.NetConfig{Listen: "127.0.0.1:0"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = nd.Close() })
	h, err := layout.NewHistory(1, layout.DefaultPartitionBits)
	must(b, err)
	must(b, h.Assign("solo", layout.StorageRole("z1", 1e12), 1))
	_, err = h.Apply(1, 2)
	must(b, err)
	return Open(nd.Env, rowSchema(), NewStatic(h, Consistent).For("solo"), Config{})
}

// BenchmarkBoltInsert measures quorum inserts of one entry (one bbolt
// transaction each) on a single real node.
func BenchmarkBoltInsert(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(fmt.Sprintf("fsync=%v", fsync), func(b *testing.B) {
			tab := boltTable(b, fsync)
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				must(b, tab.Insert(ctx, mkRow(fmt.Sprint("pk", i%100), fmt.Sprint(i), 1, "value")))
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
		})
	}
}

// BenchmarkBoltInsertMany measures batched inserts of 100 entries.
func BenchmarkBoltInsertMany(b *testing.B) {
	tab := boltTable(b, false)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		rows := make([]row, 100)
		for j := range rows {
			rows[j] = mkRow(fmt.Sprint("pk", j), fmt.Sprint(i), 1, "value")
		}
		must(b, tab.InsertMany(ctx, rows))
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkBoltGet measures quorum gets on a single real node holding
// 10 000 entries.
func BenchmarkBoltGet(b *testing.B) {
	tab := boltTable(b, false)
	ctx := context.Background()
	var rows []row
	for i := range 10000 {
		rows = append(rows, mkRow(fmt.Sprint("pk", i%100), fmt.Sprint(i), 1, "value"))
	}
	must(b, tab.InsertMany(ctx, rows))
	b.ResetTimer()
	for i := range b.N {
		r := rows[i%len(rows)]
		if _, ok, err := tab.Get(ctx, []byte(r.PK), []byte(r.SK)); err != nil || !ok {
			b.Fatalf("get: %v %v", ok, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
}

// BenchmarkAntiEntropy100k measures, in the simulator, one anti-entropy
// pass between two replicas (RF 2) where one holds 100 000 entries and the
// other nothing, run by the empty one (pull) or the full one (push), on
// links of 2 ms or 100 ms RTT, unlimited or 12.5 MB/s (100 Mbit/s): the
// virtual time it takes and the wall time of the run.
func BenchmarkAntiEntropy100k(b *testing.B) {
	for _, link := range []struct {
		rtt time.Duration
		bw  float64 // bytes per second, 0 for unlimited
	}{{2 * time.Millisecond, 0}, {100 * time.Millisecond, 0}, {100 * time.Millisecond, 12.5e6}} {
		for _, by := range []rt.NodeID{"n2", "n1"} {
			b.Run(fmt.Sprintf("rtt=%v/bw=%.0fMbit/by=%s", link.rtt, link.bw*8/1e6, by), func(b *testing.B) {
				for range b.N {
					virt, wall := antiEntropy(b, 100_000, link.rtt, link.bw, by)
					b.ReportMetric(virt.Seconds(), "virtual-s")
					b.ReportMetric(wall.Seconds(), "wall-s")
				}
			})
		}
	}
}

func antiEntropy(b *testing.B, n int, rtt time.Duration, bw float64, by rt.NodeID) (virt, wall time.Duration) {
	b.StopTimer()
	w := sim.New(sim.Config{Seed: 7})
	defer w.Close()
	w.Network().SetRTT(netem.AllLinks(), rtt)
	if bw > 0 {
		w.Network().SetBandwidth(netem.AllLinks(), bw)
	}
	h, err := layout.NewHistory(2, layout.DefaultPartitionBits)
	must(b, err)
	must(b, h.Assign("n1", layout.StorageRole("z1", 1e12), 1))
	must(b, h.Assign("n2", layout.StorageRole("z2", 1e12), 1))
	_, err = h.Apply(1, 2)
	must(b, err)
	st := NewStatic(h, Consistent)
	tabs := map[rt.NodeID]*Table[row]{}
	for i, id := range []rt.NodeID{"n1", "n2"} {
		w.AddNode(id, fmt.Sprint("z", i+1), func(env rt.Env) {
			tabs[id] = Open(env, rowSchema(), st.For(id), Config{NoWorkers: true})
		})
	}
	must(b, w.Run())
	for i := 0; i < n; i += 1000 {
		rows := make([]row, 1000)
		for j := range rows {
			rows[j] = mkRow(fmt.Sprint("pk", (i+j)%1000), fmt.Sprint(i+j), 1, "value")
		}
		must(b, tabs["n1"].LocalInsert(rows...))
	}
	must(b, tabs["n1"].Drain(context.Background()))
	b.StartTimer()
	start, t0 := w.Now(), time.Now()
	var serr error
	w.Go("sync", func(ctx context.Context) {
		serr = tabs[by].SyncOnce(ctx)
		serr = errors.Join(serr, tabs["n1"].Drain(ctx), tabs["n2"].Drain(ctx))
	})
	must(b, w.Run())
	virt, wall = w.Now()-start, time.Since(t0)
	must(b, serr)
	r1, _ := tabs["n1"].Roots()
	r2, _ := tabs["n2"].Roots()
	if fmt.Sprint(r1) != fmt.Sprint(r2) {
		b.Fatal("roots differ after the pass")
	}
	b.Logf("anti-entropy of %d entries, rtt %v, %.0f B/s, run by %s: %v virtual, %v wall", n, rtt, bw, by, virt, wall)
	return virt, wall
}
