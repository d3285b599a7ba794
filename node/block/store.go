package block

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
)

// Sentinel errors of reads.
var (
	// ErrNotFound is a block that no data directory of the node holds.
	ErrNotFound = errors.New("block not found")
	// ErrCorrupt is a block file whose content does not hash to its name
	// (bit rot, a truncated file, a bad compressed stream).
	ErrCorrupt = errors.New("corrupt block")
)

// Suffixes of block file names.
const (
	zstSuffix     = ".zst"
	corruptSuffix = ".corrupted"
)

// store is the node's block files over its data directories: where a
// block goes, how it is encoded, and the verification of every read.
type store struct {
	dirs   []Dir
	fsync  bool
	level  int // CompressionOff or a zstd level
	enc    *zstd.Encoder
	dec    *zstd.Decoder
	faults rt.Faults
	clock  rt.Clock
	maxLen int // largest plaintext accepted
	// noVerify skips the hash check of plaintexts (Config.NoVerify, a
	// negative control).
	noVerify bool

	mu  rt.Mutex
	bad map[string]bool // corrupt files of read-only directories ("dir/name"), which stay
}

func newStore(env rt.Env, cfg Config) (*store, error) {
	s := &store{dirs: cfg.Dirs, fsync: cfg.Fsync, level: cfg.Compression, faults: env.Faults,
		clock: env.Clock, maxLen: cfg.BlockSize, mu: env.Tasks.NewMutex(), bad: map[string]bool{},
		noVerify: cfg.NoVerify}
	var err error
	if s.level != CompressionOff {
		s.enc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(s.level)),
			zstd.WithEncoderConcurrency(1), zstd.WithZeroFrames(true))
		if err != nil {
			return nil, fmt.Errorf("block: zstd encoder: %w", err)
		}
	}
	s.dec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(uint64(2*cfg.BlockSize)+1<<20), zstd.IgnoreChecksum(cfg.NoVerify))
	if err != nil {
		return nil, fmt.Errorf("block: zstd decoder: %w", err)
	}
	return s, nil
}

// fileName returns the name of h's file: xx/yy/<hex>, plus .zst when
// compressed.
func fileName(h Hash, compressed bool) string {
	x := h.String()
	name := x[:2] + "/" + x[2:4] + "/" + x
	if compressed {
		name += zstSuffix
	}
	return name
}

// parseName returns the hash and compression of a block file name; ok is
// false for any other file (markers, set-aside corrupt files).
func parseName(name string) (h Hash, compressed, ok bool) {
	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
	}
	base, compressed = strings.CutSuffix(base, zstSuffix)
	h, err := ParseHash(base)
	if err != nil || name != fileName(h, compressed) {
		return Hash{}, false, false
	}
	return h, compressed, true
}

// primary returns the writable directory that receives h: weighted
// rendezvous hashing, so each directory gets a share of new blocks in
// proportion to its capacity, and changing one capacity moves only the
// blocks that the change must move.
func (s *store) primary(h Hash) int {
	best, bestScore := -1, math.Inf(1)
	for i, d := range s.dirs {
		if d.ReadOnly || d.Capacity == 0 {
			continue
		}
		score := -math.Log(unitFloat(h, i)) / float64(d.Capacity)
		if score < bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// unitFloat maps (h, i) to a float in (0, 1), uniformly.
func unitFloat(h Hash, i int) float64 {
	x := binary.BigEndian.Uint64(h[:8]) ^ (uint64(i)+1)*0x9e3779b97f4a7c15
	x = splitmix(x)
	return (float64(x>>11) + 0.5) / (1 << 53)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// order returns the directories to look for h in: the primary first, then
// the others in configuration order (a block may sit where an older
// configuration put it).
func (s *store) order(h Hash) []int {
	p := s.primary(h)
	out := []int{p}
	for i := range s.dirs {
		if i != p {
			out = append(out, i)
		}
	}
	return out
}

// encode returns the stored form of a plaintext: compressed when that
// saves space. A large block is compressed only if a sample of it
// compresses (see compressible), so that incompressible data (random,
// already compressed media and archives) costs a few percent of a
// compression.
func (s *store) encode(data []byte) (payload []byte, compressed bool) {
	if s.enc == nil || !s.compressible(data) {
		return data, false
	}
	c := s.enc.EncodeAll(data, make([]byte, 0, len(data)))
	if len(c) >= len(data) {
		return data, false
	}
	return c, true
}

// Sampling of large blocks: samplePieces pieces of samplePiece bytes,
// spread evenly over a block of at least sampleMin bytes, each
// compressed on its own (zstd's fast levels stop looking for matches
// deep into incompressible data, which would hide a compressible piece
// after random ones), must shrink below sampleKeep (per mille) of their
// size together for the block to be compressed whole. Pieces compress
// less well than the whole block (less context), so the test errs
// towards compressing; a block compressible only in less than about
// 1/samplePieces of it may be stored plain.
const (
	samplePieces = 8
	samplePiece  = 4 << 10
	sampleMin    = 4 * samplePieces * samplePiece
	sampleKeep   = 970
)

// compressible reports whether data is worth compressing whole: always
// for a block under sampleMin bytes, else when its sample compresses.
func (s *store) compressible(data []byte) bool {
	if len(data) < sampleMin {
		return true
	}
	step := (len(data) - samplePiece) / (samplePieces - 1)
	buf := make([]byte, 0, 2*samplePiece)
	size := 0
	for i := range samplePieces {
		size += len(s.enc.EncodeAll(data[i*step:i*step+samplePiece], buf[:0]))
	}
	return size*1000 < samplePieces*samplePiece*sampleKeep
}

// decode returns the plaintext of a stored form, checking that it hashes
// to h.
func (s *store) decode(h Hash, payload []byte, compressed bool) ([]byte, error) {
	return s.decodeChecked(h, payload, compressed, false)
}

// decodeChecked is decode, without the hash check when checked says the
// stored form already passed its trailer's (see withTrailer).
func (s *store) decodeChecked(h Hash, payload []byte, compressed, checked bool) ([]byte, error) {
	data := payload
	if compressed {
		var err error
		data, err = s.dec.DecodeAll(payload, make([]byte, 0, s.maxLen))
		if err != nil {
			return nil, fmt.Errorf("%w %s: zstd: %w", ErrCorrupt, h, err)
		}
	}
	if !s.noVerify && !checked && Sum(data) != h {
		return nil, fmt.Errorf("%w %s: content hashes to %s (%d bytes)", ErrCorrupt, h, Sum(data), len(data))
	}
	return data, nil
}

// loc is where a block file sits.
type loc struct {
	dir        int
	compressed bool
	size       int64
}

func (l loc) name(h Hash) string { return fileName(h, l.compressed) }

// locate returns every file of h, primary directory first.
func (s *store) locate(h Hash) ([]loc, error) {
	var out []loc
	for _, d := range s.order(h) {
		for _, c := range []bool{true, false} {
			fi, err := s.dirs[d].Files.Stat(fileName(h, c))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return out, fmt.Errorf("stat block %s: %w", h, err)
			}
			if l := (loc{dir: d, compressed: c, size: fi.Size}); !s.isBad(h, l) {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// has reports whether a file of h exists.
func (s *store) has(h Hash) (bool, error) {
	ls, err := s.locate(h)
	return len(ls) > 0, err
}

// write stores h's stored form in its primary directory, removing a copy
// of the other form there.
func (s *store) write(ctx context.Context, h Hash, payload []byte, compressed bool) error {
	d := s.dirs[s.primary(h)].Files
	if err := fail.Hit(ctx, s.faults, s.clock, fail.BlockFsyncBefore); err != nil {
		return fmt.Errorf("write block %s: %w", h, err)
	}
	if err := d.Write(fileName(h, compressed), withTrailer(h, payload), s.fsync); err != nil {
		return fmt.Errorf("write block %s: %w", h, err)
	}
	if err := fail.Hit(ctx, s.faults, s.clock, fail.BlockFsyncAfter); err != nil {
		return fmt.Errorf("write block %s: %w", h, err)
	}
	if err := d.Remove(fileName(h, !compressed)); err != nil {
		return fmt.Errorf("write block %s: %w", h, err)
	}
	return nil
}

// readResult is the outcome of a local read: the stored form of a block
// whose content was verified, and how many corrupt files were found (and
// set aside) on the way. A pooled read (see read) also has release.
type readResult struct {
	payload    []byte
	compressed bool
	plain      []byte
	corrupt    int
	release    func() // gives plain's buffer back (a no-op unless pooled); set when the read succeeded
}

// read returns h from the first of its files that verifies, trying the
// places locate would list in the same order by reading them (a missing
// file costs a failed open, not a stat before every read). Files that
// fail verification twice in a row are set aside and counted. The error
// wraps ErrNotFound when no file verified and none was corrupt,
// ErrCorrupt when some were.
//
// With pooled, the file is read into a recycled buffer where the world
// has them (rt.PooledReader): payload and plain are the caller's until
// it calls r.release.
func (s *store) read(ctx context.Context, h Hash, pooled bool) (readResult, error) {
	var r readResult
	var errs []error
	for _, d := range s.order(h) {
		for _, c := range []bool{true, false} {
			l := loc{dir: d, compressed: c}
			if s.isBad(h, l) {
				continue
			}
			f, err := s.verifyAs(ctx, h, l, false, pooled)
			switch {
			case err == nil:
				r.payload, r.compressed, r.plain, r.release = f.payload, l.compressed, f.plain, f.release
				return r, nil
			case errors.Is(err, fs.ErrNotExist):
				continue
			}
			errs = append(errs, err)
			if errors.Is(err, ErrCorrupt) {
				r.corrupt++
				s.setAside(h, l)
			}
		}
	}
	if len(errs) == 0 {
		return r, fmt.Errorf("read block %s: %w", h, ErrNotFound)
	}
	return r, fmt.Errorf("read block %s: %w", h, errors.Join(errs...))
}

// fileRead is one block file read and verified: its stored form, its
// content, and the release of the buffer they live in (a no-op unless
// the read was pooled).
type fileRead struct {
	payload, plain []byte
	release        func()
}

// verifyAs reads and verifies one file of h, reading it again before
// condemning it (a flip in memory or on the bus is not bit rot on the
// disk); full checks the content's hash even when the file's trailer
// holds (the scrub's check); pooled is read's.
func (s *store) verifyAs(ctx context.Context, h Hash, l loc, full, pooled bool) (fileRead, error) {
	f, err := s.readFile(ctx, h, l, full, pooled)
	if errors.Is(err, ErrCorrupt) {
		f, err = s.readFile(ctx, h, l, full, pooled)
	}
	return f, err
}

// readFile reads and verifies one file of h: against its trailer's
// checksum when it has a valid one (and full is not set), else against h.
func (s *store) readFile(ctx context.Context, h Hash, l loc, full, pooled bool) (fileRead, error) {
	var content []byte
	release := func() {}
	var err error
	if pr, ok := s.dirs[l.dir].Files.(rt.PooledReader); ok && pooled {
		content, release, err = pr.ReadPooled(l.name(h))
	} else {
		content, err = s.dirs[l.dir].Files.Read(l.name(h))
	}
	if err != nil {
		return fileRead{}, err
	}
	f, err := s.checkFile(ctx, h, l, full, content)
	if err != nil {
		release()
		return f, err
	}
	f.release = release
	return f, nil
}

// checkFile verifies the content of a file of h read from l.
func (s *store) checkFile(ctx context.Context, h Hash, l loc, full bool, content []byte) (fileRead, error) {
	if v, fired := fail.Eval(s.faults, fail.BlockRead); fired {
		if err := fail.Apply(ctx, s.clock, fail.BlockRead, v); err != nil {
			return fileRead{}, err
		}
	}
	if _, fired := fail.Eval(s.faults, fail.BlockCorrupt); fired && len(content) > 0 {
		content[len(content)/2] ^= 0x10
	}
	payload, checked := s.splitTrailer(h, content)
	plain, err := s.decodeChecked(h, payload, l.compressed, checked && !full)
	return fileRead{payload: payload, plain: plain}, err
}

// The integrity trailer of block files: trailerMagic, then the CRC-32C
// (Castagnoli) of the block's hash followed by its stored form. A read
// checks it, about ten times cheaper than hashing the content again with
// BLAKE2b (half of the CPU of a large GET before), and as sure to catch
// bit rot; covering the hash, it also catches a file stored under another
// block's name. The content's BLAKE2b is still checked where the block
// comes from elsewhere (a put from another node, a read reply) and by the
// scrub, and for any file without a valid trailer: files written before
// trailers existed, and any file whose trailer does not match, so that a
// damaged file is judged by its hash as before.
const (
	trailerMagic = "GGb1"
	trailerLen   = len(trailerMagic) + 4
)

// BufferSlack is the spare capacity a block's buffer needs for its
// trailer to be written in place: a buffer given to Put with it is
// written to this node's disk without a copy.
const BufferSlack = trailerLen

// trailerSum is the checksum of a trailer.
func trailerSum(h Hash, payload []byte) uint32 {
	t := crc32.MakeTable(crc32.Castagnoli) // the package's own table, made once
	return crc32.Update(crc32.Checksum(h[:], t), t, payload)
}

// withTrailer returns payload followed by its trailer: in payload's spare
// capacity when it has room (upload buffers leave it), else in a copy.
func withTrailer(h Hash, payload []byte) []byte {
	var t [trailerLen]byte
	copy(t[:], trailerMagic)
	binary.BigEndian.PutUint32(t[len(trailerMagic):], trailerSum(h, payload))
	if cap(payload)-len(payload) < trailerLen {
		payload = append(make([]byte, 0, len(payload)+trailerLen), payload...)
	}
	return append(payload, t[:]...)
}

// splitTrailer returns the stored form in a file's content and whether
// its trailer was there and matched. A content without a matching
// trailer is returned whole, to be checked against the hash (under
// NoVerify, a trailer is stripped whatever its checksum).
func (s *store) splitTrailer(h Hash, content []byte) ([]byte, bool) {
	n := len(content) - trailerLen
	if n < 0 || string(content[n:n+len(trailerMagic)]) != trailerMagic {
		return content, false
	}
	payload := content[:n]
	if s.noVerify {
		return payload, true
	}
	if binary.BigEndian.Uint32(content[n+len(trailerMagic):]) != trailerSum(h, payload) {
		return content, false
	}
	return payload, true
}

// setAside renames a corrupt file to <name>.corrupted (a copy then a
// removal: the files port has no rename), so that an operator can look at
// it and the block is fetched again. Read-only directories keep it.
func (s *store) setAside(h Hash, l loc) {
	d := s.dirs[l.dir]
	if d.ReadOnly {
		s.mu.Lock()
		s.bad[badKey(h, l)] = true
		s.mu.Unlock()
		return
	}
	name := l.name(h)
	if data, err := d.Files.Read(name); err == nil {
		_ = d.Files.Write(name+corruptSuffix, data, false)
	}
	_ = d.Files.Remove(name)
}

// remove deletes every file of h from the writable directories.
func (s *store) remove(h Hash) error {
	for _, d := range s.dirs {
		if d.ReadOnly {
			continue
		}
		for _, c := range []bool{true, false} {
			if err := d.Files.Remove(fileName(h, c)); err != nil {
				return fmt.Errorf("remove block %s: %w", h, err)
			}
		}
	}
	return nil
}

// isBad reports whether l is a corrupt file of a read-only directory,
// which locate then ignores: the block is fetched into a writable one.
func (s *store) isBad(h Hash, l loc) bool {
	if !s.dirs[l.dir].ReadOnly {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bad[badKey(h, l)]
}

func badKey(h Hash, l loc) string { return fmt.Sprintf("%d/%s", l.dir, l.name(h)) }
