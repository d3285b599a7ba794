package block

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim/disk"
)

// worlds returns a fresh rt.Files of each world: the simulator's disk and
// real files in a temporary directory.
func worlds(t *testing.T) map[string]func() rt.Files {
	return map[string]func() rt.Files{
		"sim": func() rt.Files { return disk.New(disk.Options{}).Files() },
		"host": func() rt.Files {
			f, err := host.NewFiles(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return f
		},
	}
}

// eachWorld runs the store suite test fn in both worlds, in order.
func eachWorld(t *testing.T, fn func(t *testing.T, newFiles func() rt.Files)) {
	ws := worlds(t)
	for _, name := range []string{"sim", "host"} {
		t.Run(name, func(t *testing.T) { fn(t, ws[name]) })
	}
}

func testStore(t *testing.T, dirs []Dir, mod func(*Config)) *store {
	t.Helper()
	cfg := Config{Dirs: dirs}
	if mod != nil {
		mod(&cfg)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newStore(rt.Env{Clock: host.NewClock(), Tasks: host.NewTasks(context.Background())}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// save stores data the way Put and the put handler do.
func save(t *testing.T, s *store, data []byte) Hash {
	t.Helper()
	h := Sum(data)
	payload, compressed := s.encode(data)
	if err := s.write(context.Background(), h, payload, compressed); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestEncodeSample checks the sampling of large blocks: incompressible
// ones are stored plain without a full compression, compressible ones and
// ones compressible only in a part the sample covers are compressed, and
// small ones are always tried whole.
func TestEncodeSample(t *testing.T) {
	const mib = DefaultBlockSize
	half := randomData(1, mib)
	copy(half[mib/2:], blockData(2, mib/2))
	tail := randomData(3, mib)
	copy(tail[mib-mib/4:], blockData(4, mib/4))
	tests := []struct {
		name       string
		data       []byte
		sample, zc bool
	}{
		{"random 1 MiB", randomData(5, mib), false, false},
		{"text 1 MiB", blockData(6, mib), true, true},
		{"half text", half, true, true},
		{"last quarter text", tail, true, true},
		{"random under sampleMin", randomData(7, sampleMin-1), true, false},
		{"text under sampleMin", blockData(8, sampleMin-1), true, true},
	}
	s := testStore(t, []Dir{{Files: disk.New(disk.Options{}).Files(), Capacity: 1}}, nil)
	for _, tt := range tests {
		if got := s.compressible(tt.data); got != tt.sample {
			t.Errorf("%s: compressible = %v, want %v", tt.name, got, tt.sample)
		}
		payload, zc := s.encode(tt.data)
		if zc != tt.zc || (!zc && len(payload) != len(tt.data)) {
			t.Errorf("%s: encode gives %d bytes, compressed %v; want compressed %v", tt.name, len(payload), zc, tt.zc)
		}
		if got, err := s.decode(Sum(tt.data), payload, zc); err != nil || !bytes.Equal(got, tt.data) {
			t.Errorf("%s: decode: %v", tt.name, err)
		}
	}
}

func TestStoreRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		tests := []struct {
			name  string
			level int
			data  []byte
			zst   bool
		}{
			{"compressible", 0, blockData(1, 100_000), true},
			{"incompressible", 0, randomData(2, 100_000), false},
			{"off", CompressionOff, blockData(3, 100_000), false},
			{"level 19", 19, blockData(4, 50_000), true},
			{"empty", 0, []byte{}, false},
		}
		for _, tt := range tests {
			s := testStore(t, []Dir{{Files: newFiles(), Capacity: 1}}, func(c *Config) { c.Compression = tt.level })
			h := save(t, s, tt.data)
			ls, err := s.locate(h)
			if err != nil || len(ls) != 1 || ls[0].compressed != tt.zst {
				t.Errorf("%s: files %+v (%v), want one, compressed %v", tt.name, ls, err, tt.zst)
				continue
			}
			r, err := s.read(context.Background(), h, false)
			if err != nil || !bytes.Equal(r.plain, tt.data) {
				t.Errorf("%s: read back %d bytes: %v", tt.name, len(r.plain), err)
			}
			if tt.zst && ls[0].size >= int64(len(tt.data)) {
				t.Errorf("%s: compressed file of %d bytes for %d", tt.name, ls[0].size, len(tt.data))
			}
		}
	})
}

func TestStoreDetectsDamage(t *testing.T) {
	damages := map[string]func(b []byte) []byte{
		"bit flip":  func(b []byte) []byte { b[len(b)/3] ^= 4; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)-10] },
		"empty":     func([]byte) []byte { return nil },
		"other":     func([]byte) []byte { return []byte("some other block") },
	}
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		for _, name := range []string{"bit flip", "truncated", "empty", "other"} {
			for _, level := range []int{0, CompressionOff} {
				f := newFiles()
				s := testStore(t, []Dir{{Files: f, Capacity: 1}}, func(c *Config) { c.Compression = level })
				h := save(t, s, blockData(5, 20_000))
				ls, _ := s.locate(h)
				b, _ := f.Read(ls[0].name(h))
				if err := f.Write(ls[0].name(h), damages[name](b), false); err != nil {
					t.Fatal(err)
				}
				r, err := s.read(context.Background(), h, false)
				if !errors.Is(err, ErrCorrupt) || r.corrupt != 1 {
					t.Errorf("%s, level %d: %v (%d corrupt), want ErrCorrupt", name, level, err, r.corrupt)
				}
				if _, err := f.Stat(ls[0].name(h) + corruptSuffix); err != nil {
					t.Errorf("%s, level %d: not set aside: %v", name, level, err)
				}
				if _, err := s.read(context.Background(), h, false); !errors.Is(err, ErrNotFound) {
					t.Errorf("%s, level %d: second read %v, want ErrNotFound", name, level, err)
				}
			}
		}
	})
}

func TestStoreDirectories(t *testing.T) {
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		dirs := []Dir{{Files: newFiles(), Capacity: 1}, {Files: newFiles(), Capacity: 3},
			{Files: newFiles(), Capacity: 10, ReadOnly: true}}
		s := testStore(t, dirs, func(c *Config) { c.Compression = CompressionOff })
		const n = 400
		for i := range n {
			save(t, s, []byte(fmt.Sprint("block ", i)))
		}
		counts := make([]int, len(dirs))
		for i, d := range dirs {
			names, _ := d.Files.List("")
			counts[i] = len(names)
		}
		if counts[2] != 0 || counts[0]+counts[1] != n || counts[1] < 2*counts[0] {
			t.Errorf("files per directory %v, want about 1:3 and none in the read-only one", counts)
		}
		// A block in the read-only directory (an old disk) is read.
		old := []byte("kept on the old disk")
		h := Sum(old)
		if err := dirs[2].Files.Write(fileName(h, false), old, false); err != nil {
			t.Fatal(err)
		}
		if r, err := s.read(context.Background(), h, false); err != nil || !bytes.Equal(r.plain, old) {
			t.Errorf("read from the read-only directory: %v", err)
		}
		// A corrupt file there stays, but is no longer counted as a copy,
		// so that resync fetches the block into a writable directory.
		if err := dirs[2].Files.Write(fileName(h, false), []byte("rotten"), false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.read(context.Background(), h, false); !errors.Is(err, ErrCorrupt) {
			t.Errorf("read of a corrupt read-only file: %v", err)
		}
		if has, _ := s.has(h); has {
			t.Error("a corrupt read-only file still counts as a copy")
		}
		if _, err := dirs[2].Files.Stat(fileName(h, false)); err != nil {
			t.Errorf("the read-only directory was changed: %v", err)
		}
	})
}

func TestStoreFailpoints(t *testing.T) {
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		reg := fail.NewRegistry(constSource(0))
		s := testStore(t, []Dir{{Files: newFiles(), Capacity: 1}}, nil)
		s.faults = reg
		h := save(t, s, blockData(9, 10_000))
		// One flipped read is read again; two in a row condemn the file.
		mustArm(t, reg, fail.BlockCorrupt, fail.Spec{Prob: 1, Count: 1, Value: true})
		if r, err := s.read(context.Background(), h, false); err != nil || r.corrupt != 0 {
			t.Errorf("read under one block-corrupt: %v (%d corrupt), want the second read", err, r.corrupt)
		}
		mustArm(t, reg, fail.BlockCorrupt, fail.Spec{Prob: 1, Count: 2, Value: true})
		if _, err := s.read(context.Background(), h, false); !errors.Is(err, ErrCorrupt) {
			t.Errorf("read under two block-corrupt: %v, want ErrCorrupt", err)
		}
		h = save(t, s, blockData(10, 10_000))
		mustArm(t, reg, fail.BlockRead, fail.Spec{Prob: 1, Count: 1, Value: fail.Err("eio")})
		if _, err := s.read(context.Background(), h, false); !errors.Is(err, fail.ErrInjected) || errors.Is(err, ErrCorrupt) {
			t.Errorf("read under block-read: %v, want the injected error", err)
		}
		if r, err := s.read(context.Background(), h, false); err != nil || r.corrupt != 0 {
			t.Errorf("read after block-read fired: %v", err)
		}
		mustArm(t, reg, fail.BlockFsyncBefore, fail.Spec{Prob: 1, Count: 1, Value: fail.Err("enospc")})
		data := blockData(11, 10_000)
		payload, c := s.encode(data)
		if err := s.write(context.Background(), Sum(data), payload, c); !errors.Is(err, fail.ErrInjected) {
			t.Errorf("write under block-fsync-before: %v", err)
		}
		if ok, _ := s.has(Sum(data)); ok {
			t.Error("a write failed before it began left a file")
		}
	})
}

func mustArm(t *testing.T, r *fail.Registry, name string, spec fail.Spec) {
	t.Helper()
	if err := r.Arm(name, spec); err != nil {
		t.Fatal(err)
	}
}

func TestParseName(t *testing.T) {
	h := Sum([]byte("x"))
	tests := []struct {
		name   string
		ok, zc bool
	}{
		{fileName(h, false), true, false},
		{fileName(h, true), true, true},
		{fileName(h, false) + corruptSuffix, false, false},
		{markerName, false, false},
		{h.String(), false, false},
		{"00/00/" + h.String(), false, false},
	}
	for _, tt := range tests {
		got, zc, ok := parseName(tt.name)
		if ok != tt.ok || zc != tt.zc || (ok && got != h) {
			t.Errorf("parseName(%q) = %s, %v, %v; want ok %v, compressed %v", tt.name, got, zc, ok, tt.ok, tt.zc)
		}
	}
}

// constSource is a fail.Source that always draws the same value.
type constSource float64

func (c constSource) Float64() float64 { return float64(c) }

// TestTrailerChecks writes block files with their trailer and damages
// them in the ways a read must tell apart, in both worlds: an intact file
// reads; a flipped byte, a file under another block's name and a cut
// trailer are corrupt; a file without trailer (written before trailers)
// reads, checked by its hash; a file whose trailer matches content that
// does not hash to its name passes a read (the trailer's guarantee stops
// there) but not the scrub's full check.
func TestTrailerChecks(t *testing.T) {
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		f := newFiles()
		s := testStore(t, []Dir{{Files: f, Capacity: 1}}, func(c *Config) { c.Compression = CompressionOff })
		ctx := context.Background()
		data := blockData(7, 50_000)
		h := save(t, s, data)
		name := fileName(h, false)
		raw, err := f.Read(name)
		if err != nil || len(raw) != len(data)+trailerLen || !bytes.Equal(raw[:len(data)], data) {
			t.Fatalf("block file: %d bytes, %v; want the data and a %d-byte trailer", len(raw), err, trailerLen)
		}
		read := func(want error) {
			t.Helper()
			r, err := s.read(ctx, h, false)
			switch {
			case want == nil && (err != nil || !bytes.Equal(r.plain, data)):
				t.Fatalf("read: %d bytes, %v; want the block", len(r.plain), err)
			case want != nil && !errors.Is(err, want):
				t.Fatalf("read: %v; want %v", err, want)
			}
		}
		put := func(content []byte) {
			t.Helper()
			if err := f.Write(name, content, false); err != nil {
				t.Fatal(err)
			}
		}
		read(nil)

		flipped := bytes.Clone(raw)
		flipped[len(data)/2] ^= 1
		put(flipped)
		read(ErrCorrupt)

		put(data) // no trailer
		read(nil)

		put(raw[:len(raw)-3])
		read(ErrCorrupt)

		other := blockData(8, 50_000)
		put(withTrailer(Sum(other), bytes.Clone(other))) // another block's file
		read(ErrCorrupt)

		put(withTrailer(h, bytes.Clone(other))) // a trailer made for the wrong content
		if r, err := s.read(ctx, h, false); err != nil || !bytes.Equal(r.plain, other) {
			t.Fatalf("read of a file whose trailer matches: %d bytes, %v; want its content unchecked by hash", len(r.plain), err)
		}
		if _, err := s.verifyAs(ctx, h, loc{}, true, false); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("full check of content that does not hash to its name: %v, want ErrCorrupt", err)
		}
	})
}

// TestStorePooledReads reads blocks into recycled buffers, in both worlds
// (the real one pools, the simulated one reads as usual): each read gives
// its content, compressed or not, while earlier reads are still held;
// once released, a buffer serves a later read of another block without
// that read seeing anything but its own content.
func TestStorePooledReads(t *testing.T) {
	eachWorld(t, func(t *testing.T, newFiles func() rt.Files) {
		s := testStore(t, []Dir{{Files: newFiles(), Capacity: 1}}, nil)
		var blocks [][]byte
		var hashes []Hash
		for i := range 6 {
			d := randomData(10+i, 200_000+i*1000)
			if i%2 == 1 {
				d = blockData(10+i, 200_000+i*1000) // compressible
			}
			blocks, hashes = append(blocks, d), append(hashes, save(t, s, d))
		}
		var held []readResult
		for round := range 3 {
			for i, h := range hashes {
				r, err := s.read(context.Background(), h, true)
				if err != nil || !bytes.Equal(r.plain, blocks[i]) {
					t.Fatalf("round %d, block %d: read %d bytes (%v), want its %d", round, i, len(r.plain), err, len(blocks[i]))
				}
				held = append(held, r)
			}
			for j, r := range held { // nothing read since changed what is held
				if !bytes.Equal(r.plain, blocks[j%len(blocks)]) {
					t.Fatalf("round %d: block %d changed while held", round, j%len(blocks))
				}
			}
			for _, r := range held {
				r.release()
				r.release() // twice is harmless
			}
			held = held[:0]
		}
	})
}
