package object_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// TestBucketsAndKeys runs the bucket and key operations through
// different nodes and checks that every node, reading its local state,
// ends up seeing the same permissions and names.
func TestBucketsAndKeys(t *testing.T) {
	e := newEnv(t, opts{seed: 12})
	var alice, bob object.KeyInfo
	var b1, b2 model.UUID
	e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) {
		if alice, err = s.CreateKey(ctx, "alice"); err != nil {
			return err
		}
		bob, err = s.ImportKey(ctx, "GK0123456789abcdef01234567", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "bob")
		if err != nil {
			return err
		}
		if b1, err = s.CreateBucket(ctx, "photos", alice.ID); err != nil {
			return err
		}
		b2, err = s.CreateBucket(ctx, "backups", "")
		return err
	}))
	if model.CheckKeyID(alice.ID) != nil || model.CheckSecret(alice.Secret) != nil {
		t.Errorf("created key %s / %s has a bad form", alice.ID, alice.Secret)
	}
	e.must(e.do(1, func(ctx context.Context, s *object.Service) error {
		if _, err := s.CreateBucket(ctx, "photos", ""); !errors.Is(err, object.ErrBucketExists) {
			return fmt.Errorf("create of a taken name: %v", err)
		}
		if _, err := s.CreateBucket(ctx, "Bad_Name", ""); !errors.Is(err, object.ErrInvalidName) {
			return fmt.Errorf("create of a bad name: %v", err)
		}
		if _, err := s.ImportKey(ctx, bob.ID, bob.Secret, "again"); !errors.Is(err, object.ErrKeyExists) {
			return fmt.Errorf("import of an existing key: %v", err)
		}
		if err := s.SetPermission(ctx, b2, bob.ID, model.Perm{Read: true}); err != nil {
			return err
		}
		if err := s.AliasBucket(ctx, b2, "my-backups", bob.ID); err != nil {
			return err
		}
		if err := s.AliasBucket(ctx, b2, "photos", ""); !errors.Is(err, object.ErrBucketExists) {
			return fmt.Errorf("global alias of a taken name: %v", err)
		}
		if err := s.AliasBucket(ctx, b1, "pics", ""); err != nil {
			return err
		}
		if err := s.UnaliasBucket(ctx, b1, "photos", ""); err != nil {
			return err
		}
		if err := s.SetQuotas(ctx, b2, model.Quotas{MaxObjects: 10}); err != nil {
			return err
		}
		if err := s.SetWebsite(ctx, b1, model.Website{Enabled: true, IndexDocument: "index.html"}); err != nil {
			return err
		}
		if err := s.RenameKey(ctx, bob.ID, "robert"); err != nil {
			return err
		}
		return s.SetAllowCreateBucket(ctx, alice.ID, true)
	}))
	e.settle(5 * time.Second)
	for i := range e.c.IDs {
		s := e.svc(i)
		if id, err := s.ResolveBucket("my-backups", bob.ID); err != nil || id != b2 {
			t.Errorf("node %d: bob's local alias: %v %v", i, id, err)
		}
		if _, err := s.ResolveBucket("my-backups", alice.ID); !errors.Is(err, object.ErrNoSuchBucket) {
			t.Errorf("node %d: bob's local alias seen by alice: %v", i, err)
		}
		if id, err := s.ResolveBucket("pics", ""); err != nil || id != b1 {
			t.Errorf("node %d: global alias pics: %v %v", i, id, err)
		}
		if _, err := s.ResolveBucket("photos", ""); !errors.Is(err, object.ErrNoSuchBucket) {
			t.Errorf("node %d: removed alias photos: %v", i, err)
		}
		if p := s.Permission(alice.ID, b1); p != (model.Perm{Read: true, Write: true, Owner: true}) {
			t.Errorf("node %d: alice on photos: %+v", i, p)
		}
		if p := s.Permission(bob.ID, b2); p != (model.Perm{Read: true}) {
			t.Errorf("node %d: bob on backups: %+v", i, p)
		}
		k, err := s.FindKey("robert")
		if err != nil || k.ID != bob.ID || len(k.Buckets) != 1 || len(k.LocalAliases) != 1 {
			t.Errorf("node %d: find bob by his new name: %+v %v", i, k, err)
		}
		info, err := s.Bucket(b1)
		if err != nil || !slices.Equal(info.Aliases, []string{"pics"}) || !info.Website.Enabled || len(info.Keys) != 1 {
			t.Errorf("node %d: bucket info %+v %v", i, info, err)
		}
		if info, _ := s.Bucket(b2); info.Quotas.MaxObjects != 10 || len(info.LocalAliases) != 1 {
			t.Errorf("node %d: backups info %+v", i, info)
		}
		if bs, _ := s.ListBuckets(); len(bs) != 2 {
			t.Errorf("node %d: %d buckets listed, want 2", i, len(bs))
		}
	}
	e.put(2, b1, "x", []byte("x"))
	e.must(e.do(3, func(ctx context.Context, s *object.Service) error {
		if err := s.DeleteBucket(ctx, b1); !errors.Is(err, object.ErrBucketNotEmpty) {
			return fmt.Errorf("delete of a bucket with an object: %v", err)
		}
		if err := s.DeleteKey(ctx, bob.ID); err != nil {
			return err
		}
		return s.DeleteBucket(ctx, b2)
	}))
	e.settle(5 * time.Second)
	for i := range e.c.IDs {
		s := e.svc(i)
		if _, err := s.Key(bob.ID); !errors.Is(err, object.ErrNoSuchAccessKey) {
			t.Errorf("node %d: deleted key: %v", i, err)
		}
		if _, err := s.Bucket(b2); !errors.Is(err, object.ErrNoSuchBucket) {
			t.Errorf("node %d: deleted bucket: %v", i, err)
		}
		if _, err := s.ResolveBucket("backups", ""); !errors.Is(err, object.ErrNoSuchBucket) {
			t.Errorf("node %d: alias of a deleted bucket: %v", i, err)
		}
	}
}

// TestQuotasAndCounters fills a bucket up to its quotas and checks its
// counters, which every node reads the same.
func TestQuotasAndCounters(t *testing.T) {
	e := newEnv(t, opts{seed: 13})
	b := e.bucket("quota")
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error {
		return s.SetQuotas(ctx, b, model.Quotas{MaxObjects: 3, MaxSize: 3 * testBlockSize})
	}))
	e.settle(0)
	e.put(1, b, "a", data(1, 100))
	e.put(2, b, "b", data(2, testBlockSize))
	e.put(3, b, "c", data(3, 1000))
	e.settle(time.Second)
	putErr := func(key string, n int) error {
		return e.do(4, func(ctx context.Context, s *object.Service) error {
			_, err := s.Put(ctx, b, key, bytesOf(data(4, n)), model.Meta{})
			return err
		})
	}
	if err := putErr("d", 10); !errors.Is(err, object.ErrQuotaExceeded) {
		t.Errorf("a fourth object: %v, want ErrQuotaExceeded", err)
	}
	if err := putErr("b", 3*testBlockSize); !errors.Is(err, object.ErrQuotaExceeded) {
		t.Errorf("an overwrite past the size quota: %v, want ErrQuotaExceeded", err)
	}
	if err := putErr("a", 50); err != nil {
		t.Errorf("an overwrite within quotas: %v", err)
	}
	id := e.createUpload(b, "up")
	e.settle(time.Second)
	want := model.Counts{Objects: 3, Bytes: 50 + testBlockSize + 1000, Uploads: 1}
	for i := range e.c.IDs {
		var got model.Counts
		e.must(e.do(i, func(ctx context.Context, s *object.Service) (err error) {
			got, err = s.BucketCounts(ctx, b)
			return err
		}))
		if got != want {
			t.Errorf("node %d: counts %+v, want %+v", i, got, want)
		}
	}
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error { return s.AbortUpload(ctx, b, "up", id) }))
	e.must(e.do(0, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, "b"); return err }))
	e.settle(time.Second)
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		got, err := s.BucketCounts(ctx, b)
		if want := (model.Counts{Objects: 2, Bytes: 1050}); err == nil && got != want {
			err = fmt.Errorf("counts after a delete and an abort: %+v, want %+v", got, want)
		}
		return err
	}))
}
