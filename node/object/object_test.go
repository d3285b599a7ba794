package object_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

func rangeOf(start, length int64) object.GetOptions {
	return object.GetOptions{Range: func(int64) (int64, int64, error) { return start, length, nil }}
}

func TestPutGetSizesAndRanges(t *testing.T) {
	e := newEnv(t, opts{seed: 1})
	b := e.bucket("data")
	sizes := []int{0, 1, 3071, 3072, testBlockSize - 1, testBlockSize, testBlockSize + 1, 3*testBlockSize + 517}
	for i, n := range sizes {
		want := data(uint64(i), n)
		key := fmt.Sprintf("obj-%d", n)
		info := e.put(i%5, b, key, want)
		sum := md5.Sum(want)
		if info.Meta.Size != uint64(n) || info.Meta.ETag != hex.EncodeToString(sum[:]) {
			t.Errorf("put of %d bytes: size %d etag %s", n, info.Meta.Size, info.Meta.ETag)
		}
		c, got, err := e.get((i+2)%5, b, key, object.GetOptions{})
		if err != nil || !bytes.Equal(got, want) || c.Length != int64(n) || c.Version != info.Version {
			t.Fatalf("get of %d bytes: %d bytes, equal %v, err %v", n, len(got), bytes.Equal(got, want), err)
		}
		ranges := [][2]int64{{0, 0}, {0, 1}, {int64(n) / 3, int64(n) / 2}, {int64(n) - 1, 1},
			{testBlockSize - 5, 10}, {testBlockSize, testBlockSize}}
		for _, r := range ranges {
			if r[0] < 0 || r[0]+r[1] > int64(n) {
				continue
			}
			c, got, err := e.get(i%5, b, key, rangeOf(r[0], r[1]))
			if err != nil || !bytes.Equal(got, want[r[0]:r[0]+r[1]]) || c.Start != r[0] || c.Length != r[1] {
				t.Errorf("range %v of %d bytes: %d bytes, err %v", r, n, len(got), err)
			}
		}
	}
	_, _, err := e.get(0, b, "nope", object.GetOptions{})
	if !errors.Is(err, object.ErrNoSuchKey) {
		t.Errorf("get of a missing key: %v, want ErrNoSuchKey", err)
	}
}

func TestHeadDeleteAndMeta(t *testing.T) {
	e := newEnv(t, opts{seed: 2})
	b := e.bucket("meta")
	meta := model.Meta{Headers: []model.Header{{Name: "Content-Type", Value: "text/plain"}, {Name: "x-amz-meta-a", Value: "1"}},
		Checksum:   model.Checksum{Algorithm: "CRC32", Value: []byte{1, 2, 3, 4}},
		Encryption: model.Encryption{Algorithm: "AES256", KeyMD5: []byte("0123456789abcdef")}}
	for _, n := range []int{10, 2*testBlockSize + 3} {
		key := fmt.Sprint("k", n)
		e.must(e.do(1, func(ctx context.Context, s *object.Service) error {
			_, err := s.Put(ctx, b, key, bytes.NewReader(data(7, n)), meta)
			return err
		}))
		var c *object.Content
		e.must(e.do(3, func(ctx context.Context, s *object.Service) (err error) {
			c, err = s.Head(ctx, b, key, object.GetOptions{})
			return err
		}))
		if ct, _ := c.Meta.Header("content-type"); ct != "text/plain" || c.Meta.Size != uint64(n) || c.Body != nil ||
			c.Meta.Checksum.Algorithm != "CRC32" || string(c.Meta.Encryption.KeyMD5) != "0123456789abcdef" {
			t.Errorf("head of %d bytes: %+v", n, c)
		}
		e.must(e.do(2, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, key); return err }))
		if _, _, err := e.get(4, b, key, object.GetOptions{}); !errors.Is(err, object.ErrNoSuchKey) {
			t.Errorf("get after delete: %v, want ErrNoSuchKey", err)
		}
	}
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error {
		_, err := s.Delete(ctx, b, "never-written")
		return err
	}))
}

func TestCopySharesBlocks(t *testing.T) {
	e := newEnv(t, opts{seed: 3})
	src, dst := e.bucket("src"), e.bucket("dst")
	small, big := data(1, 100), data(2, 2*testBlockSize+10)
	e.put(0, src, "small", small)
	e.put(0, src, "big", big)
	files := e.countBlockFiles()
	repl := model.Meta{Headers: []model.Header{{Name: "Content-Type", Value: "image/png"}}}
	for _, key := range []string{"small", "big"} {
		e.must(e.do(1, func(ctx context.Context, s *object.Service) error {
			_, err := s.Copy(ctx, src, key, dst, key+"-copy", &repl)
			return err
		}))
	}
	for key, want := range map[string][]byte{"small-copy": small, "big-copy": big} {
		c, got, err := e.get(2, dst, key, object.GetOptions{})
		if ct, _ := c.Meta.Header("Content-Type"); err != nil || !bytes.Equal(got, want) || ct != "image/png" {
			t.Errorf("copy %s: %d bytes, content type %q, err %v", key, len(got), ct, err)
		}
	}
	e.settle(time.Second)
	if got := e.countBlockFiles(); got != files {
		t.Errorf("block files after copies: %d, before %d: data was copied", got, files)
	}
	c, _, _ := e.get(0, src, "big", object.GetOptions{})
	first := e.firstBlock(src, "big", c)
	if got := e.refCount(first); got != refsOn(e, first, 2) {
		t.Errorf("references of the first block: %s, want 2 on each replica (%s)", got, refsOn(e, first, 2))
	}
}

// firstBlock returns the first block of key's visible version.
func (e *env) firstBlock(b model.UUID, key string, c *object.Content) block.Hash {
	e.t.Helper()
	var h block.Hash
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error {
		v, _, err := s.Tables().Versions.Get(ctx, c.Version[:], nil)
		if err == nil && v.Blocks.Len() > 0 {
			h = v.BlockList()[0].Hash
		}
		return err
	}))
	return h
}

// refsOn returns the reference counts expected for h: n on the nodes
// that store it, 0 elsewhere.
func refsOn(e *env, h block.Hash, n int) string {
	reps := e.svc(0).Tables().Replicas(h[:])
	s := ""
	for _, id := range e.c.IDs {
		c := 0
		for _, r := range reps {
			if r == id {
				c = n
			}
		}
		s += fmt.Sprint(c)
	}
	return s
}
