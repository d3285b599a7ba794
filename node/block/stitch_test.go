package block

import (
	"bytes"
	"crypto/md5"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/blake2b"
)

// TestSumMD5 checks SumMD5 against x/crypto's BLAKE2b and crypto/md5 over
// sizes around every boundary of the one-pass loop (the 128-byte block,
// the last block BLAKE2b finalises, the 1 KiB threshold), after MD5
// input that leaves the state at a 64-byte boundary or not, and on
// several blocks of one stream as an upload writes them.
func TestSumMD5(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3<<20+77)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	sizes := []int{0, 1, 63, 64, 127, 128, 129, 1023, 1024, 1025, 1151, 1152, 1153, 4096, 65536 + 1, 1 << 20, 3<<20 + 77}
	for i := 0; i < 40; i++ {
		sizes = append(sizes, r.IntN(200_000))
	}
	for _, before := range []int{0, 64, 640, 5} {
		for _, n := range sizes {
			p := data[:n]
			etag, want := md5.New(), md5.New()
			etag.Write(data[len(data)-before:])
			want.Write(data[len(data)-before:])
			h := SumMD5(p, etag)
			want.Write(p)
			if h != Hash(blake2b.Sum256(p)) {
				t.Fatalf("%d bytes after %d: BLAKE2b %s, want %s", n, before, h, Hash(blake2b.Sum256(p)))
			}
			if got, w := etag.Sum(nil), want.Sum(nil); !bytes.Equal(got, w) {
				t.Fatalf("%d bytes after %d: MD5 %x, want %x", n, before, got, w)
			}
		}
	}
	// An upload: blocks of 1 MiB then a short one, into one MD5.
	etag, want := md5.New(), md5.New()
	for off := 0; off < len(data); off += 1 << 20 {
		p := data[off:min(off+1<<20, len(data))]
		if h := SumMD5(p, etag); h != Hash(blake2b.Sum256(p)) {
			t.Fatalf("block at %d: BLAKE2b %s", off, h)
		}
	}
	want.Write(data)
	if got, w := etag.Sum(nil), want.Sum(nil); !bytes.Equal(got, w) {
		t.Fatalf("streamed MD5 %x, want %x", got, w)
	}
	if !useStitch() {
		t.Log("no one-pass loop on this machine: SumMD5 ran the two hashes apart")
	}
}

// BenchmarkSumMD5 compares the one-pass loop with the two hashes one
// after the other, over a 1 MiB block.
func BenchmarkSumMD5(b *testing.B) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.Run("stitched", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		etag := md5.New()
		for b.Loop() {
			SumMD5(data, etag)
		}
	})
	b.Run("apart", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		etag := md5.New()
		for b.Loop() {
			etag.Write(data)
			Sum(data)
		}
	})
}

// TestStitchGenerated regenerates stitch_amd64.s and compares: the
// assembly checked in is what stitch_gen.go writes.
func TestStitchGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out := filepath.Join(t.TempDir(), "stitch_amd64.s")
	if msg, err := exec.Command(goBin, "run", "stitch_gen.go", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("go run stitch_gen.go: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("stitch_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("stitch_amd64.s is not what stitch_gen.go writes: run go generate ./node/block")
	}
}
