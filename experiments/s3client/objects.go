package s3client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"

	"github.com/gogarage/garage/experiments/workload"
)

// Objects are the register workload's registers as objects of one bucket,
// written the ways S3 clients write: a register's value names its write,
// and the object's body is derived from it (a few bytes to several
// blocks, some written as multipart uploads), its x-amz-meta-v header
// carries it. A read is a GET that checks the body is the one its value
// names, or a HEAD that reads the header; a body that does not match
// reads as a value no write wrote, which the checker reports.
type Objects struct {
	C      *Client
	Bucket string
	reads  int
}

var _ workload.Registers = (*Objects)(nil)

// MetaValue is the user metadata entry carrying a written value.
const MetaValue = "v"

// Body returns the body of the write of value: its size and whether it is
// a multipart upload (and its parts) are drawn from the value's hash.
func Body(value string) [][]byte {
	h := fnv.New32a()
	h.Write([]byte(value))
	x := h.Sum32()
	sizes := []int{16, 2 << 10, 100 << 10, 1536 << 10}
	if x%16 == 15 {
		return [][]byte{Fill(value, 5<<20), Fill(value+"/2", 1<<10)}
	}
	return [][]byte{Fill(value, sizes[x%4])}
}

// Fill returns n pseudo-random bytes derived from seed: incompressible,
// like most stored data, so that blocks are stored as they are and a
// flipped bit in a block file reaches the reader unless the block layer
// checks hashes (the negative control of --no-verify).
func Fill(seed string, n int) []byte {
	sum := sha256.Sum256([]byte(seed))
	r := rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
	b := make([]byte, n+8)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	return b[:n]
}

// Put writes the object of value.
func (o *Objects) Put(ctx context.Context, key, value string) (uint64, error) {
	parts := Body(value)
	meta := map[string]string{MetaValue: value}
	var w Written
	var err error
	if len(parts) > 1 {
		w, err = o.C.PutMultipart(ctx, o.Bucket, key, parts, meta)
	} else {
		w, err = o.C.PutObject(ctx, o.Bucket, key, parts[0], meta)
	}
	return w.TS, err
}

// Get reads the object, by GET and HEAD in turn.
func (o *Objects) Get(ctx context.Context, key string) (string, bool, error) {
	o.reads++
	if o.reads%2 == 0 {
		h, err := o.C.HeadObject(ctx, o.Bucket, key)
		return h.Meta.Get("X-Amz-Meta-" + MetaValue), h.Found, err
	}
	g, err := o.C.GetObject(ctx, o.Bucket, key)
	if err != nil || !g.Found {
		return "", false, err
	}
	v := g.Meta.Get("X-Amz-Meta-" + MetaValue)
	if !bytes.Equal(g.Body, bytes.Join(Body(v), nil)) {
		return "corrupt body of " + v, true, nil
	}
	return v, true, nil
}

// Delete deletes the object.
func (o *Objects) Delete(ctx context.Context, key string) (uint64, error) {
	w, err := o.C.DeleteObject(ctx, o.Bucket, key)
	return w.TS, err
}
