package disk_test

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim/disk"
)

// benchKeys is the size of the tree the benchmarks work on.
const benchKeys = 10_000

// benchValue is a typical small metadata row.
var benchValue = make([]byte, 128)

// benchKey returns key i of the benchmark tree; keys are spread over the
// key space in an order unrelated to i.
func benchKey(i int) []byte {
	return binary.BigEndian.AppendUint64([]byte("obj/"), uint64(i)*0x9e3779b97f4a7c15)
}

// filled returns a disk whose tree "t" holds benchKeys durable keys.
func filled(b *testing.B) *disk.Disk {
	d := disk.New(disk.Options{})
	for lo := 0; lo < benchKeys; lo += 1000 {
		mustUpdate(b, d.KV(), func(tx rt.Tx) error {
			for i := lo; i < lo+1000; i++ {
				if err := tx.Put("t", benchKey(i), benchValue); err != nil {
					return err
				}
			}
			return nil
		})
	}
	d.SyncAll()
	return d
}

func mustUpdate(b *testing.B, kv rt.KV, fn func(tx rt.Tx) error) {
	if err := kv.Update(fn); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGet measures one random point read per read transaction.
func BenchmarkGet(b *testing.B) {
	kv := filled(b).KV()
	r := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		err := kv.View(func(tx rt.ReadTx) error {
			v, err := tx.Get("t", benchKey(r.IntN(benchKeys)))
			if v == nil {
				b.Fatal("missing key")
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutCommit measures one overwrite of a random key per committed
// transaction, left unsynced.
func BenchmarkPutCommit(b *testing.B) {
	d := filled(b)
	r := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		mustUpdate(b, d.KV(), func(tx rt.Tx) error { return tx.Put("t", benchKey(r.IntN(benchKeys)), benchValue) })
		if w, _ := d.Unsynced(); w >= 1000 {
			d.SyncAll() // keep the unsynced layer at a realistic size
		}
	}
}

// BenchmarkScan100 measures an ascending scan of 100 keys from a random
// start per read transaction.
func BenchmarkScan100(b *testing.B) {
	kv := filled(b).KV()
	r := rand.New(rand.NewPCG(1, 3))
	for b.Loop() {
		n := 0
		err := kv.View(func(tx rt.ReadTx) error {
			return tx.Scan("t", binary.BigEndian.AppendUint64([]byte("obj/"), r.Uint64()>>1), nil, false,
				func(_, _ []byte) bool { n++; return n < 100 })
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutSync measures a one-key commit followed by a Sync.
func BenchmarkPutSync(b *testing.B) {
	d := filled(b)
	r := rand.New(rand.NewPCG(1, 4))
	for b.Loop() {
		mustUpdate(b, d.KV(), func(tx rt.Tx) error { return tx.Put("t", benchKey(r.IntN(benchKeys)), benchValue) })
		if err := d.KV().Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCrashRecover measures a crash that discards one unsynced
// commit over a durable tree of benchKeys keys, and the first read after.
func BenchmarkCrashRecover(b *testing.B) {
	d := filled(b)
	lost := []byte("lost")
	for b.Loop() {
		mustUpdate(b, d.KV(), func(tx rt.Tx) error { return tx.Put("t", lost, benchValue) })
		d.Crash()
		err := d.KV().View(func(tx rt.ReadTx) error {
			v, err := tx.Get("t", lost)
			if v != nil {
				b.Fatal("unsynced key survived the crash")
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
