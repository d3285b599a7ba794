package block

//go:generate go run stitch_gen.go

import (
	"encoding"
	"encoding/binary"
	"hash"

	"golang.org/x/crypto/blake2b"
)

// stitchMin is the smallest input SumMD5 computes in one pass; below it
// the two hashes run one after the other.
const stitchMin = 1024

// SumMD5 returns the hash of data, as Sum does, and writes data to etag,
// a running MD5 (crypto/md5.New), as etag.Write(data) would. On amd64
// with AVX2 one loop computes both over each 128 bytes (stitch_amd64.s):
// the core interleaves BLAKE2b's vector instructions with MD5's scalar
// ones, and the pair costs little more than MD5 alone. Elsewhere, for
// short inputs, or when etag is not an MD5 at a 64-byte boundary, the two
// run one after the other.
func SumMD5(data []byte, etag hash.Hash) Hash {
	if useStitch() && len(data) >= stitchMin {
		if h, ok := sumStitched(data, etag); ok {
			return h
		}
	}
	etag.Write(data)
	return Sum(data)
}

// BLAKE2b-256 without a key: the parameter block's first word.
const blake2bParam = 32 | 1<<16 | 1<<24

// The marshalled states of crypto/md5 and x/crypto/blake2b (both
// documented as stable): a magic, the chaining values, then the
// buffered input and the length.
const (
	md5Magic    = "md5\x01"
	md5StateLen = len(md5Magic) + 4*4 + 64 + 8
	b2bMagic    = "b2b"
	b2bStateLen = len(b2bMagic) + 8*8 + 2*8 + 1 + blake2b.BlockSize + 1
)

// sumStitched runs stitch over every whole 128-byte block of data but the
// last one (BLAKE2b finalises the last block, which may be partial), then
// hands both states to the standard implementations for the rest. ok is
// false, with nothing written, if etag is no MD5 at a block boundary.
func sumStitched(data []byte, etag hash.Hash) (Hash, bool) {
	m, ok := etag.(interface {
		encoding.BinaryMarshaler
		encoding.BinaryUnmarshaler
	})
	if !ok {
		return Hash{}, false
	}
	st, err := m.MarshalBinary()
	if err != nil || len(st) != md5StateLen || string(st[:len(md5Magic)]) != md5Magic {
		return Hash{}, false
	}
	n := binary.BigEndian.Uint64(st[md5StateLen-8:])
	if n%64 != 0 {
		return Hash{}, false
	}
	var s [4]uint32
	for i := range s {
		s[i] = binary.BigEndian.Uint32(st[len(md5Magic)+4*i:])
	}
	h := blake2bIV()
	h[0] ^= blake2bParam
	whole := (len(data) - 1) / blake2b.BlockSize * blake2b.BlockSize
	if whole == 0 { // stitch takes at least one block
		return Hash{}, false
	}
	stitch(&h, &s, 0, data[:whole])

	for i := range s {
		binary.BigEndian.PutUint32(st[len(md5Magic)+4*i:], s[i])
	}
	binary.BigEndian.PutUint64(st[md5StateLen-8:], n+uint64(whole))
	if err := m.UnmarshalBinary(st); err != nil {
		panic("block: restore an MD5 state: " + err.Error())
	}
	etag.Write(data[whole:])

	bs := make([]byte, 0, b2bStateLen)
	bs = append(bs, b2bMagic...)
	for _, v := range h {
		bs = binary.BigEndian.AppendUint64(bs, v)
	}
	bs = binary.BigEndian.AppendUint64(bs, uint64(whole))
	bs = binary.BigEndian.AppendUint64(bs, 0)
	bs = append(bs, 32)
	bs = append(bs, make([]byte, blake2b.BlockSize+1)...) // empty buffer, offset 0
	d, _ := blake2b.New256(nil)
	if err := d.(encoding.BinaryUnmarshaler).UnmarshalBinary(bs); err != nil {
		panic("block: restore a BLAKE2b state: " + err.Error())
	}
	d.Write(data[whole:])
	var out Hash
	d.Sum(out[:0])
	return out, true
}

// blake2bIV returns BLAKE2b's initialisation vector.
func blake2bIV() [8]uint64 {
	return [8]uint64{
		0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
		0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
	}
}
