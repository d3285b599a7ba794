package object_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/object"
)

// workload runs puts of every size, reads, a listing, deletes and a
// multipart upload, with a clock skew, and returns the world's trace hash.
func workload(t *testing.T, seed uint64) uint64 {
	e := newEnv(t, opts{seed: seed, rtt: 50 * time.Millisecond, jitter: 20 * time.Millisecond})
	b := e.bucket("det")
	e.w.Clock(e.c.IDs[2]).SetOffset(3 * time.Second)
	for i := range 8 {
		e.put(i%5, b, fmt.Sprint("k", i%3), data(uint64(i), i*testBlockSize/2))
	}
	e.get(1, b, "k1", object.GetOptions{})
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		_, err := s.List(ctx, b, object.ListOptions{MaxKeys: 2})
		return err
	}))
	e.must(e.do(3, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, "k0"); return err }))
	id := e.createUpload(b, "m")
	p := e.uploadPart(4, b, "m", id, 1, data(9, testBlockSize+3))
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error {
		_, err := s.CompleteUpload(ctx, b, "m", id, []object.CompletedPart{{Number: 1, ETag: p.ETag}}, object.CompleteOptions{})
		return err
	}))
	e.settle(time.Minute)
	h := e.w.TraceHash()
	e.w.Close()
	return h
}

func TestDeterministic(t *testing.T) {
	a, b, c := workload(t, 21), workload(t, 21), workload(t, 22)
	if a != b {
		t.Errorf("same seed, trace hashes %x and %x", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same trace hash %x", a)
	}
}
