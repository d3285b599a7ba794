package object_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// readAll gets key through node i and reads it whole.
func (e *env) readAll(i int, b model.UUID, key string) ([]byte, error) {
	var got []byte
	err := e.do(i, func(ctx context.Context, s *object.Service) error {
		c, err := s.Get(ctx, b, key, object.GetOptions{})
		if err != nil {
			return err
		}
		defer c.Body.Close()
		got, err = io.ReadAll(c.Body)
		return err
	})
	return got, err
}

// removeBlock deletes the files of block h on every node.
func (e *env) removeBlock(h block.Hash) int {
	n := 0
	name := h.String()[:2] + "/" + h.String()[2:4] + "/" + h.String()
	for id, hs := range e.blockFiles() {
		if slices.Contains(hs, h.String()) {
			e.must(e.w.Env(id).Files.Remove(name))
			e.must(e.w.Env(id).Files.Remove(name + ".zst"))
			n++
		}
	}
	return n
}

func (e *env) repairs(i int) int {
	n, err := e.svc(i).Repairs()
	e.must(err)
	return n
}

// TestMissingBlockIsAClearError removes every copy of one block of an
// object (its block references remain): reading it fails with
// ErrDataMissing, a repair is queued and run (the block's nodes try to
// resync it and record the failure), and nothing else is lost.
func TestMissingBlockIsAClearError(t *testing.T) {
	e := newEnv(t, opts{seed: 16})
	b := e.bucket("bad")
	other, broken := data(1, 2*testBlockSize), data(2, 3*testBlockSize)
	e.put(0, b, "other", other)
	e.put(1, b, "broken", broken)
	e.settle(0)
	c, _, _ := e.get(2, b, "broken", object.GetOptions{})
	h := e.firstBlock(b, "broken", c)
	if n := e.removeBlock(h); n != 3 {
		t.Fatalf("removed %d copies of the block, want 3", n)
	}
	_, err := e.readAll(2, b, "broken")
	if !errors.Is(err, object.ErrDataMissing) || !errors.Is(err, block.ErrNotFound) {
		t.Fatalf("read of an object whose block is gone: %v, want ErrDataMissing and block.ErrNotFound", err)
	}
	if e.repairs(2) != 1 {
		t.Fatalf("%d repairs queued, want 1", e.repairs(2))
	}
	e.must(e.w.RunFor(time.Minute)) // the repair worker, then the block managers' resync
	if e.repairs(2) != 0 {
		t.Errorf("the repair was not run: %d left", e.repairs(2))
	}
	for _, id := range e.svc(0).Tables().Replicas(h[:]) {
		es, err := e.c.Node(e.c.Index(id)).Block().Errors()
		e.must(err)
		if !slices.ContainsFunc(es, func(x block.ErrorInfo) bool { return x.Hash == h }) {
			t.Errorf("%s: the failed resync of the missing block is not recorded: %+v", id, es)
		}
	}
	if got, err := e.readAll(3, b, "other"); err != nil || !bytes.Equal(got, other) {
		t.Errorf("the other object: %d bytes, %v", len(got), err)
	}
	var p object.ListPage
	e.must(e.do(4, func(ctx context.Context, s *object.Service) (err error) {
		p, err = s.List(ctx, b, object.ListOptions{MaxKeys: -1})
		return err
	}))
	if len(p.Objects) != 2 {
		t.Errorf("listing: %d objects, want 2", len(p.Objects))
	}
}

// TestVersionWithoutBlockListIsAClearError deletes the version entry of
// an object's visible version behind its back: reads fail with
// ErrDataMissing and queue a repair, and nothing else is lost.
func TestVersionWithoutBlockListIsAClearError(t *testing.T) {
	e := newEnv(t, opts{seed: 18})
	b := e.bucket("bad")
	e.put(0, b, "other", data(1, 2*testBlockSize))
	info := e.put(1, b, "broken", data(2, 2*testBlockSize))
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		return s.Tables().Versions.Insert(ctx, model.DeletedVersion(info.Version, model.ObjectLink(b, "broken")))
	}))
	e.settle(0)
	for _, fn := range []func() error{
		func() error { _, err := e.readAll(3, b, "broken"); return err },
		func() error {
			return e.do(3, func(ctx context.Context, s *object.Service) error {
				_, err := s.Head(ctx, b, "broken", object.GetOptions{PartNumber: 1})
				return err
			})
		},
		func() error {
			return e.do(3, func(ctx context.Context, s *object.Service) error {
				_, err := s.Copy(ctx, b, "broken", b, "copy", nil)
				return err
			})
		},
	} {
		if err := fn(); !errors.Is(err, object.ErrDataMissing) {
			t.Errorf("operation on an object without its block list: %v, want ErrDataMissing", err)
		}
	}
	if e.repairs(3) == 0 {
		t.Error("no repair queued")
	}
	e.must(e.w.RunFor(time.Minute))
	if e.repairs(3) != 0 {
		t.Errorf("the repair was not run: %d left", e.repairs(3))
	}
	if got, err := e.readAll(4, b, "other"); err != nil || !bytes.Equal(got, data(1, 2*testBlockSize)) {
		t.Errorf("the other object: %d bytes, %v", len(got), err)
	}
}
