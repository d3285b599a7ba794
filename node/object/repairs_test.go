package object_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// repairAll runs a repair pass on every node (each walks its replica)
// and returns the total of what they deleted.
func (e *env) repairAll(pass func(s *object.Service, ctx context.Context, o object.RepairOptions) (object.RepairCount, error)) uint64 {
	e.t.Helper()
	var deleted uint64
	for i := range e.c.IDs {
		e.must(e.do(i, func(ctx context.Context, s *object.Service) error {
			c, err := pass(s, ctx, object.RepairOptions{Grace: 10 * time.Second})
			if err == nil && c.Failed > 0 {
				err = errors.New(c.LastError)
			}
			deleted += c.Deleted
			return err
		}))
	}
	return deleted
}

// TestRepairBlockRefsCollectsLeaks plants the leaks a lost version write
// leaves: a reference whose version is deleted, and one whose version was
// never written. repair block-refs deletes both, the references of a live
// object stay, and the counts of the block come back.
func TestRepairBlockRefsCollectsLeaks(t *testing.T) {
	e := newEnv(t, opts{seed: 21})
	b := e.bucket("leaks")
	d := data(3, 2*testBlockSize)
	e.put(0, b, "live", d)
	e.settle(0)
	c, _, _ := e.get(0, b, "live", object.GetOptions{})
	h := e.firstBlock(b, "live", c)
	want := e.refCount(h)
	gone, never := model.UUID{1}, model.UUID{2}
	e.must(e.do(1, func(ctx context.Context, s *object.Service) error {
		link := model.ObjectLink(b, "live")
		if err := s.Tables().Versions.Insert(ctx, model.DeletedVersion(gone, link)); err != nil {
			return err
		}
		return s.Tables().BlockRefs.InsertMany(ctx, []model.BlockRef{{Block: h, Version: gone}, {Block: h, Version: never}})
	}))
	e.settle(0)
	if got := e.refCount(h); got != refsOn(e, h, 3) {
		t.Fatalf("references after planting two leaks: %s, want %s: the check cannot fail", got, refsOn(e, h, 3))
	}
	if n := e.repairAll((*object.Service).RepairBlockRefs); n < 2 {
		t.Errorf("repair block-refs deleted %d references, want the two leaks (each on some node)", n)
	}
	e.settle(0)
	if got := e.refCount(h); got != want {
		t.Errorf("references after the repair: %s, want %s", got, want)
	}
	if _, got, err := e.get(3, b, "live", object.GetOptions{}); err != nil || len(got) != len(d) {
		t.Errorf("the live object after the repair: %d bytes, %v", len(got), err)
	}
}

// TestRepairVersionsCollectsOrphans plants a version that its object does
// not have, with a block reference: repair versions deletes it, and the
// hooks its reference; the object's own version stays.
func TestRepairVersionsCollectsOrphans(t *testing.T) {
	e := newEnv(t, opts{seed: 22})
	b := e.bucket("orphans")
	d := data(4, testBlockSize+10)
	e.put(2, b, "obj", d)
	e.settle(0)
	c, _, _ := e.get(0, b, "obj", object.GetOptions{})
	h := e.firstBlock(b, "obj", c)
	want := e.refCount(h)
	orphan := model.UUID{3}
	e.must(e.do(4, func(ctx context.Context, s *object.Service) error {
		v := model.NewVersion(orphan, model.ObjectLink(b, "obj")).WithBlock(0, 0, model.VersionBlock{Hash: h, Size: 1})
		if err := s.Tables().Versions.Insert(ctx, v); err != nil {
			return err
		}
		return s.Tables().BlockRefs.Insert(ctx, model.BlockRef{Block: h, Version: orphan})
	}))
	e.settle(0)
	if got := e.refCount(h); got == want {
		t.Fatalf("references unchanged by the orphan: %s", got)
	}
	if n := e.repairAll((*object.Service).RepairVersions); n == 0 {
		t.Error("repair versions deleted nothing")
	}
	e.settle(0)
	if got := e.refCount(h); got != want {
		t.Errorf("references after the repair: %s, want %s", got, want)
	}
	if n := e.repairAll((*object.Service).RepairVersions); n != 0 {
		t.Errorf("a second pass deleted %d versions, want none", n)
	}
	if _, got, err := e.get(1, b, "obj", object.GetOptions{}); err != nil || len(got) != len(d) {
		t.Errorf("the object after the repair: %d bytes, %v", len(got), err)
	}
}

// TestPurgeBlock purges a block of a complete object and of an upload in
// progress: the object reads as deleted, the upload is gone, and no
// reference to the block is left.
func TestPurgeBlock(t *testing.T) {
	e := newEnv(t, opts{seed: 23})
	b := e.bucket("purge")
	d := data(5, 2*testBlockSize)
	e.put(0, b, "doomed", d)
	id := e.createUpload(b, "upload")
	e.uploadPart(1, b, "upload", id, 1, d) // same data: same blocks
	e.settle(0)
	c, _, _ := e.get(0, b, "doomed", object.GetOptions{})
	h := e.firstBlock(b, "doomed", c)
	var pc object.PurgeCount
	e.must(e.do(2, func(ctx context.Context, s *object.Service) (err error) {
		pc, err = s.PurgeBlock(ctx, h)
		return err
	}))
	if pc.Objects != 1 || pc.Uploads != 1 || pc.Versions != 2 || pc.Refs != 2 {
		t.Errorf("purge: %+v, want one object, one upload, two versions and references", pc)
	}
	e.settle(0)
	if _, _, err := e.get(3, b, "doomed", object.GetOptions{}); !errors.Is(err, object.ErrNoSuchKey) {
		t.Errorf("get of a purged object: %v, want ErrNoSuchKey", err)
	}
	if got := e.refCount(h); got != refsOn(e, h, 0) {
		t.Errorf("references after the purge: %s", got)
	}
	var users []object.BlockUser
	e.must(e.do(4, func(ctx context.Context, s *object.Service) (err error) {
		users, err = s.BlockUsers(ctx, h)
		return err
	}))
	for _, u := range users {
		if !u.RefDeleted || !u.Deleted {
			t.Errorf("block user after the purge: %+v", u)
		}
	}
}
