package object_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// TestDeletingEverythingLeavesNoBlockFile writes objects of every kind,
// overwrites and copies some, deletes them all, and runs past the delays
// of the queues, tombstone GC and block GC: no block file is left.
func TestDeletingEverythingLeavesNoBlockFile(t *testing.T) {
	e := newEnv(t, opts{seed: 9})
	b := e.bucket("gc-all")
	var keys []string
	for i := range 6 {
		key := fmt.Sprint("obj", i)
		keys = append(keys, key)
		e.put(i%5, b, key, data(uint64(i), i*testBlockSize+i*7))
	}
	e.put(1, b, "obj3", data(33, 2*testBlockSize)) // overwrite
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		_, err := s.Copy(ctx, b, "obj4", b, "copy4", nil)
		return err
	}))
	keys = append(keys, "copy4")
	id := e.createUpload(b, "mpu")
	p := e.uploadPart(3, b, "mpu", id, 1, data(50, testBlockSize+1))
	e.must(e.do(4, func(ctx context.Context, s *object.Service) error {
		_, err := s.CompleteUpload(ctx, b, "mpu", id, []object.CompletedPart{{Number: 1, ETag: p.ETag}}, object.CompleteOptions{})
		return err
	}))
	keys = append(keys, "mpu")
	e.settle(0)
	if e.countBlockFiles() == 0 {
		t.Fatal("no block file before the deletes: the check cannot fail")
	}
	for i, k := range keys {
		e.must(e.do(i%5, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, k); return err }))
	}
	e.settle(3 * time.Minute)
	if left := e.blockFiles(); len(left) > 0 {
		t.Errorf("block files left after deleting everything: %v", left)
	}
	e.must(e.w.RunFor(3 * time.Minute)) // tombstone GC: the bucket is empty and may go
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error { return s.DeleteBucket(ctx, b) }))
}

// TestDedup stores the same data under two keys: each block has one file
// per replica, and two references.
func TestDedup(t *testing.T) {
	e := newEnv(t, opts{seed: 10})
	b := e.bucket("dedup")
	d := data(1, 3*testBlockSize)
	e.put(0, b, "one", d)
	e.settle(0)
	files := e.countBlockFiles()
	e.put(3, b, "two", d)
	e.settle(0)
	if got := e.countBlockFiles(); got != files || files != 3*3 {
		t.Errorf("block files: %d after one copy, %d after two; want 9 both times", files, got)
	}
	c, _, _ := e.get(0, b, "two", object.GetOptions{})
	h := e.firstBlock(b, "two", c)
	if got := e.refCount(h); got != refsOn(e, h, 2) {
		t.Errorf("references of a shared block: %s, want %s", got, refsOn(e, h, 2))
	}
	e.must(e.do(1, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, "one"); return err }))
	e.settle(3 * time.Minute)
	if _, got, err := e.get(2, b, "two", object.GetOptions{}); err != nil || !bytes.Equal(got, d) {
		t.Errorf("the other copy after deleting one: %d bytes, %v", len(got), err)
	}
	if got := e.countBlockFiles(); got != files {
		t.Errorf("block files after deleting one copy: %d, want %d", got, files)
	}
}

// slowReader yields n bytes, pausing on the world's clock every chunk,
// so that an upload spans virtual time.
type slowReader struct {
	e    *env
	ctx  context.Context
	data []byte
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if err := r.e.w.Sleep(r.ctx, 20*time.Millisecond); err != nil {
		return 0, err
	}
	n := copy(p[:min(len(p), testBlockSize/4)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestInterruptedPutIsNeverVisibleAndCollected crashes the coordinator
// of a multi-block put midway: the object is never visible, the abort
// worker of its replicas aborts it after UploadTimeout, and its blocks
// are collected.
func TestInterruptedPutIsNeverVisibleAndCollected(t *testing.T) {
	e := newEnv(t, opts{seed: 11})
	b := e.bucket("crash")
	e.put(2, b, "other", data(7, testBlockSize+5))
	e.settle(0)
	before := e.countBlockFiles()
	putErr := error(nil)
	finished := false
	e.w.Go("doomed-put", func(ctx context.Context) {
		_, putErr = e.svc(0).Put(ctx, b, "half", &slowReader{e: e, ctx: ctx, data: data(8, 10*testBlockSize)}, model.Meta{})
		finished = true
	})
	e.must(e.w.RunFor(600 * time.Millisecond))
	if finished {
		t.Fatalf("the put finished before the crash (err %v): make it slower", putErr)
	}
	if e.countBlockFiles() == before {
		t.Fatal("no block of the doomed put was stored before the crash: the test proves nothing")
	}
	e.w.Crash(e.c.IDs[0])
	e.must(e.w.RunUntil(func() bool { return finished }, time.Minute))
	if putErr == nil {
		t.Fatal("the put of a crashed coordinator succeeded")
	}
	for i := 1; i < 5; i++ {
		if _, _, err := e.get(i, b, "half", object.GetOptions{}); !errors.Is(err, object.ErrNoSuchKey) {
			t.Errorf("get through node %d of the interrupted put: %v, want ErrNoSuchKey", i, err)
		}
	}
	e.c.W.Restart(e.c.IDs[0])
	e.must(e.c.WaitSettled(1, time.Minute))
	e.must(e.w.RunFor(3 * time.Minute)) // UploadTimeout, then the abort worker
	e.settle(3 * time.Minute)           // the hook chain, then the block GC delay
	if got := e.countBlockFiles(); got != before {
		t.Errorf("%d block files after the interrupted put was collected, want %d", got, before)
	}
	var p object.ListPage
	e.must(e.do(1, func(ctx context.Context, s *object.Service) (err error) {
		p, err = s.List(ctx, b, object.ListOptions{MaxKeys: -1})
		return err
	}))
	if len(p.Objects) != 1 || p.Objects[0].Key != "other" {
		t.Errorf("listing after the interrupted put: %+v", p.Objects)
	}
}
