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

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

func (e *env) uploadPart(i int, b model.UUID, key string, id model.UUID, n int, d []byte) object.PartInfo {
	e.t.Helper()
	var p object.PartInfo
	e.must(e.do(i, func(ctx context.Context, s *object.Service) (err error) {
		p, err = s.UploadPart(ctx, b, key, id, n, bytes.NewReader(d))
		return err
	}))
	return p
}

func (e *env) createUpload(b model.UUID, key string) model.UUID {
	e.t.Helper()
	var id model.UUID
	e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) {
		id, err = s.CreateUpload(ctx, b, key, model.Meta{Headers: []model.Header{{Name: "Content-Type", Value: "a/b"}}})
		return err
	}))
	return id
}

func TestMultipartSubsetOfParts(t *testing.T) {
	e := newEnv(t, opts{seed: 7})
	b := e.bucket("mpu")
	id := e.createUpload(b, "big")
	p1, p2, p3 := data(1, testBlockSize+100), data(2, 2000), data(3, 2*testBlockSize)
	e.uploadPart(1, b, "big", id, 1, p1)
	e.uploadPart(2, b, "big", id, 2, p2)
	e.uploadPart(3, b, "big", id, 3, data(9, 50)) // replaced below
	i3 := e.uploadPart(4, b, "big", id, 3, p3)
	var parts object.PartsPage
	e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) {
		parts, err = s.ListParts(ctx, b, "big", id, 0, 2)
		return err
	}))
	if len(parts.Parts) != 2 || !parts.Truncated || parts.NextMarker != 2 {
		t.Errorf("list parts, 2 per page: %+v", parts)
	}
	var ups object.UploadsPage
	e.must(e.do(1, func(ctx context.Context, s *object.Service) (err error) {
		ups, err = s.ListUploads(ctx, b, object.ListUploadsOptions{MaxUploads: -1})
		return err
	}))
	if len(ups.Uploads) != 1 || ups.Uploads[0].Upload != id || ups.Uploads[0].Key != "big" {
		t.Errorf("list uploads: %+v", ups)
	}
	bad := []object.CompletedPart{{Number: 3, ETag: i3.ETag}, {Number: 1, ETag: md5hex(p1)}}
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		if _, err := s.CompleteUpload(ctx, b, "big", id, bad, object.CompleteOptions{}); !errors.Is(err, object.ErrInvalidOrder) {
			return fmt.Errorf("complete with parts out of order: %v", err)
		}
		stale := []object.CompletedPart{{Number: 3, ETag: md5hex(data(9, 50))}}
		if _, err := s.CompleteUpload(ctx, b, "big", id, stale, object.CompleteOptions{}); !errors.Is(err, object.ErrInvalidPart) {
			return fmt.Errorf("complete with a replaced part's ETag: %v", err)
		}
		return nil
	}))
	var info object.ObjectInfo
	e.must(e.do(2, func(ctx context.Context, s *object.Service) (err error) {
		info, err = s.CompleteUpload(ctx, b, "big", id, []object.CompletedPart{{Number: 1, ETag: `"` + md5hex(p1) + `"`},
			{Number: 3, ETag: i3.ETag}}, object.CompleteOptions{})
		return err
	}))
	want := append(append([]byte{}, p1...), p3...)
	if wantETag := multipartETag(p1, p3); info.Meta.ETag != wantETag || info.Meta.Parts != 2 {
		t.Errorf("completed ETag %s parts %d, want %s and 2", info.Meta.ETag, info.Meta.Parts, wantETag)
	}
	c, got, err := e.get(3, b, "big", object.GetOptions{})
	if ct, _ := c.Meta.Header("Content-Type"); err != nil || !bytes.Equal(got, want) || ct != "a/b" {
		t.Fatalf("get of the completed upload: %d bytes (want %d), content type %q, err %v", len(got), len(want), ct, err)
	}
	c, got, err = e.get(4, b, "big", object.GetOptions{PartNumber: 3})
	if err != nil || !bytes.Equal(got, p3) || c.Start != int64(len(p1)) || c.Parts != 2 {
		t.Errorf("get of part 3: %d bytes from %d, err %v", len(got), c.Start, err)
	}
	e.settle(2 * time.Minute)
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error {
		if _, err := s.UploadPart(ctx, b, "big", id, 4, bytes.NewReader(p2)); !errors.Is(err, object.ErrNoSuchUpload) {
			return fmt.Errorf("upload part after completion: %v", err)
		}
		return nil
	}))
	hashes := map[string]bool{}
	for _, hs := range e.blockFiles() {
		for _, h := range hs {
			hashes[h] = true
		}
	}
	if n := e.countBlockFiles(); n != 3*len(hashes) {
		t.Errorf("%d block files for %d distinct blocks, want 3 copies each", n, len(hashes))
	}
	if len(hashes) != 4 {
		t.Errorf("%d distinct blocks left, want 4 (parts 1 and 3; parts 2 and the replaced 3 collected)", len(hashes))
	}
}

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

func multipartETag(parts ...[]byte) string {
	h := md5.New()
	for _, p := range parts {
		s := md5.Sum(p)
		h.Write(s[:])
	}
	return fmt.Sprintf("%s-%d", hex.EncodeToString(h.Sum(nil)), len(parts))
}

func TestAbortedUploadIsCollected(t *testing.T) {
	e := newEnv(t, opts{seed: 8})
	b := e.bucket("abort")
	e.put(0, b, "keep", data(100, 2*testBlockSize))
	id := e.createUpload(b, "gone")
	e.uploadPart(1, b, "gone", id, 1, data(1, 3*testBlockSize))
	e.uploadPart(2, b, "gone", id, 2, data(2, 100))
	e.settle(0)
	if n := e.countBlockFiles(); n != 3*(2+3+1) {
		t.Fatalf("%d block files before the abort, want %d", n, 3*6)
	}
	e.must(e.do(3, func(ctx context.Context, s *object.Service) error { return s.AbortUpload(ctx, b, "gone", id) }))
	e.settle(3 * time.Minute)
	if n := e.countBlockFiles(); n != 3*2 {
		t.Errorf("%d block files after the abort and the GC delay, want %d (the kept object's)", n, 3*2)
	}
	if _, _, err := e.get(1, b, "gone", object.GetOptions{}); !errors.Is(err, object.ErrNoSuchKey) {
		t.Errorf("get of an aborted upload: %v", err)
	}
	if _, got, err := e.get(1, b, "keep", object.GetOptions{}); err != nil || !bytes.Equal(got, data(100, 2*testBlockSize)) {
		t.Errorf("the other object after the abort: %d bytes, %v", len(got), err)
	}
}
