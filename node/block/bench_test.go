package block

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/host/boltkv"
)

// The benchmarks below measure a single real node (RF 1, bbolt, files in
// a temporary directory) writing and reading 1 MiB blocks, next to raw
// sequential writes of the same disk in the same run:
//
//	go test ./node/block -run XXX -bench . -benchtime 200x

// soloManager starts a real single-node cluster with layout version 1
// and a block manager over dir.
func soloManager(b *testing.B, cfg Config) *Manager {
	b.Helper()
	dir := b.TempDir()
	db, err := boltkv.Open(filepath.Join(dir, "meta.db"), boltkv.Options{})
	must(b, err)
	nd, err := host.Start(host.Config{ID: "solo", KV: db, Dir: filepath.Join(dir, "data"),
		Net: host.NetConfig{Listen: "127.0.0.1:0"}})
	must(b, err)
	b.Cleanup(func() { _ = nd.Close() })
	c, err := cluster.New(nd.Env, cluster.Config{Replication: 1})
	must(b, err)
	must(b, c.StageRole("solo", layout.StorageRole("z1", 1e12)))
	_, err = c.Apply(1)
	must(b, err)
	cfg.Dirs = []Dir{{Files: nd.Files, Capacity: 1}}
	m, err := New(nd.Env, c, cfg)
	must(b, err)
	return m
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// benchData returns a 1 MiB block of kind "random" (incompressible) or
// "text" (zstd level 1 shrinks it about 3 times), made unique by i.
func benchData(kind string, i int) []byte {
	var b []byte
	if kind == "random" {
		b = randomData(i, DefaultBlockSize)
	} else {
		words := [][]byte{[]byte("garage "), []byte("block "), []byte("zone "), []byte("layout "),
			[]byte("replica "), []byte("partition "), []byte("object "), []byte("bucket\n")}
		var buf bytes.Buffer
		x := uint64(i) + 1
		for buf.Len() < DefaultBlockSize {
			x = splitmix(x)
			buf.Write(words[x%8])
			fmt.Fprintf(&buf, "%d ", x%1000)
		}
		b = buf.Bytes()[:DefaultBlockSize]
	}
	binary.BigEndian.PutUint64(b, uint64(i))
	return b
}

var benchModes = []struct {
	name  string
	level int
}{{"zstd=off", CompressionOff}, {"zstd=1", 1}}

// BenchmarkWrite puts distinct 1 MiB blocks on a single node.
func BenchmarkWrite(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		for _, mode := range benchModes {
			for _, kind := range []string{"random", "text"} {
				b.Run(fmt.Sprintf("fsync=%v/%s/%s", fsync, mode.name, kind), func(b *testing.B) {
					m := soloManager(b, Config{Compression: mode.level, Fsync: fsync})
					blocks := make([][]byte, 16)
					for i := range blocks {
						blocks[i] = benchData(kind, i)
					}
					b.SetBytes(DefaultBlockSize)
					b.ResetTimer()
					for i := range b.N {
						data := blocks[i%len(blocks)]
						binary.BigEndian.PutUint64(data, uint64(i)) // distinct: no dedup
						if err := m.Put(context.Background(), Sum(data), data); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkRead gets 1 MiB blocks (verified, decompressed) from a single
// node's files.
func BenchmarkRead(b *testing.B) {
	for _, mode := range benchModes {
		for _, kind := range []string{"random", "text"} {
			b.Run(fmt.Sprintf("%s/%s", mode.name, kind), func(b *testing.B) {
				m := soloManager(b, Config{Compression: mode.level})
				var hashes []Hash
				for i := range 64 {
					data := benchData(kind, i)
					h := Sum(data)
					must(b, m.Put(context.Background(), h, data))
					hashes = append(hashes, h)
				}
				b.SetBytes(DefaultBlockSize)
				b.ResetTimer()
				for i := range b.N {
					if _, err := m.Get(context.Background(), hashes[i%len(hashes)]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRawDiskWrite writes 1 MiB chunks sequentially to one os.File
// in the same temporary directory: with fsync=true each chunk is synced
// (as data_fsync syncs each block), without it only the last.
func BenchmarkRawDiskWrite(b *testing.B) {
	for _, fsync := range []bool{false, true} {
		b.Run(fmt.Sprintf("fsync=%v", fsync), func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "raw"))
			must(b, err)
			defer f.Close()
			data := randomData(1, DefaultBlockSize)
			b.SetBytes(DefaultBlockSize)
			b.ResetTimer()
			for range b.N {
				_, err := f.Write(data)
				must(b, err)
				if fsync {
					must(b, f.Sync())
				}
			}
			must(b, f.Sync())
		})
	}
}

// BenchmarkEncode measures the stored form of a 1 MiB block: zstd level 1
// on text, and on random data, which the sample spares a full
// compression ("whole" compresses it regardless, for comparison).
func BenchmarkEncode(b *testing.B) {
	s := soloManager(b, Config{}).st
	for _, kind := range []string{"random", "text"} {
		data := benchData(kind, 1)
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s.encode(data)
			}
		})
		b.Run(kind+"/whole", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s.enc.EncodeAll(data, make([]byte, 0, len(data)))
			}
		})
	}
}
