package boltkv

import (
	"encoding/binary"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// benchValue is a typical small metadata row.
var benchValue = make([]byte, 128)

func benchKey(i int) []byte {
	return binary.BigEndian.AppendUint64([]byte("obj/"), uint64(i)*0x9e3779b97f4a7c15)
}

func reportRate(b *testing.B, n int, unit string) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), unit)
}

// BenchmarkPut measures one key per committed transaction.
func BenchmarkPut(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(map[bool]string{false: "nosync", true: "fsync"}[fsync], func(b *testing.B) {
			db := openTemp(b, Options{Fsync: fsync})
			i := 0
			for b.Loop() {
				mustUpdate(b, db, func(tx rt.Tx) error { return tx.Put("t", benchKey(i), benchValue) })
				i++
			}
			reportRate(b, i, "commits/s")
		})
	}
}

// BenchmarkPutBatch measures keys written 1000 to a transaction.
func BenchmarkPutBatch(b *testing.B) {
	db := openTemp(b, Options{Fsync: true})
	n := 0
	for b.Loop() {
		mustUpdate(b, db, func(tx rt.Tx) error {
			for range 1000 {
				if err := tx.Put("t", benchKey(n), benchValue); err != nil {
					return err
				}
				n++
			}
			return nil
		})
	}
	reportRate(b, n, "keys/s")
}

// fill writes n keys in batches and returns the database.
func fill(b *testing.B, n int) *DB {
	db := openTemp(b, Options{})
	for lo := 0; lo < n; lo += 1000 {
		mustUpdate(b, db, func(tx rt.Tx) error {
			for i := lo; i < min(lo+1000, n); i++ {
				if err := tx.Put("t", benchKey(i), benchValue); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return db
}

// BenchmarkGet measures one random point read per read transaction in a
// tree of 100 000 keys.
func BenchmarkGet(b *testing.B) {
	const n = 100_000
	db := fill(b, n)
	r := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		err := db.View(func(tx rt.ReadTx) error {
			v, err := tx.Get("t", benchKey(r.IntN(n)))
			if v == nil {
				b.Fatal("missing key")
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, b.N, "gets/s")
}

// BenchmarkScan measures full ascending scans of a tree of 100 000 keys.
func BenchmarkScan(b *testing.B) {
	const n = 100_000
	db := fill(b, n)
	keys := 0
	for b.Loop() {
		err := db.View(func(tx rt.ReadTx) error {
			return tx.Scan("t", nil, nil, false, func(_, _ []byte) bool { keys++; return true })
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if keys != n*b.N {
		b.Fatalf("scanned %d keys, want %d", keys, n*b.N)
	}
	reportRate(b, keys, "keys/s")
}

// BenchmarkPutParallel measures one key per update from 8 goroutines at
// once: what group commit buys when every commit is synced.
func BenchmarkPutParallel(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(map[bool]string{false: "nosync", true: "fsync"}[fsync], func(b *testing.B) {
			db := openTemp(b, Options{Fsync: fsync})
			var n atomic.Int64
			b.SetParallelism(4) // 8 goroutines on 2 cores
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					mustUpdate(b, db, func(tx rt.Tx) error { return tx.Put("t", benchKey(i), benchValue) })
				}
			})
			reportRate(b, int(n.Load()), "commits/s")
		})
	}
}
