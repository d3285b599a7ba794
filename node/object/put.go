package object

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gogarage/garage/node/model"
)

// ObjectInfo describes a stored object version.
type ObjectInfo struct {
	Bucket  model.UUID
	Key     string
	Version model.UUID
	// TS is the version's LWW timestamp (ms): its Last-Modified date.
	TS   uint64
	Meta model.Meta
}

// LastModified returns the version's date.
func (o ObjectInfo) LastModified() time.Time { return time.UnixMilli(int64(o.TS)).UTC() }

func infoOf(bucket model.UUID, key string, v model.ObjectVersion) ObjectInfo {
	return ObjectInfo{Bucket: bucket, Key: key, Version: v.UUID, TS: v.TS, Meta: v.State.Meta}
}

// Put stores the bytes of r as object key of bucket, with meta's headers,
// checksum and encryption (its Size is set by Put, and its ETag to the
// hex MD5 of the bytes unless set). Objects under InlineMax bytes go in
// the object row: one quorum round trip in the common case. Larger ones
// are cut into blocks, at most PutParallel in flight, between an
// uploading version (which the abort worker collects if this node
// vanishes) and its completion; a failure before the completion aborts
// the version, and its blocks are collected through the hooks.
func (s *Service) Put(ctx context.Context, bucket model.UUID, key string, r io.Reader, meta model.Meta) (ObjectInfo, error) {
	if key == "" {
		return ObjectInfo{}, fmt.Errorf("put: empty object key: %w", ErrInvalidName)
	}
	q, err := s.quotas(bucket)
	if err != nil {
		return ObjectInfo{}, err
	}
	head := make([]byte, s.cfg.InlineMax)
	n, err := io.ReadFull(r, head)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return s.putInline(ctx, bucket, key, head[:n], meta, q)
	case err != nil:
		return ObjectInfo{}, fmt.Errorf("put %s/%s: read: %w", bucket, key, err)
	}
	return s.putBlocks(ctx, bucket, key, io.MultiReader(bytes.NewReader(head), r), meta, q)
}

func (s *Service) putInline(ctx context.Context, bucket model.UUID, key string, data []byte, meta model.Meta, q model.Quotas) (ObjectInfo, error) {
	meta.Size = uint64(len(data))
	if meta.ETag == "" {
		meta.ETag = md5hex(data)
	}
	if err := s.checkQuota(ctx, bucket, key, q, meta.Size); err != nil {
		return ObjectInfo{}, err
	}
	v := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: s.firstStamp(bucket, key),
		State: model.VersionState{Kind: model.Complete, Data: model.Inline, Meta: meta, Inline: data}}
	v, err := s.writeVersion(ctx, bucket, key, v)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return infoOf(bucket, key, v), nil
}

func md5hex(b []byte) string { h := md5.Sum(b); return hex.EncodeToString(h[:]) }

// firstStamp returns the timestamp a new version of (bucket, key) starts
// with: the clock, or newer than this node's replica of the object if it
// holds one (free knowledge). The write then learns from the replicas
// whether some version is newer (writeVersion).
func (s *Service) firstStamp(bucket model.UUID, key string) uint64 {
	if s.cfg.NoRedo {
		return s.now()
	}
	o, _, err := s.t.Objects.LocalGet(bucket[:], []byte(key))
	if err != nil {
		return s.now()
	}
	return s.stamp(o.Stamp())
}

// writeVersion writes version v of (bucket, key) optimistically: the
// replicas of the write quorum report the newest timestamp they held
// (table.InsertNewest). If one is not older than v's, v may lose to a
// version written before this write began (a clock behind another
// node's), so the version is written again under a new id at newest + 1:
// Garage's rule max(now, newest + 1), in one round trip unless a replica
// reports a newer version. The first copy, older than the second, is
// dropped by the merge. It returns the version that counts.
func (s *Service) writeVersion(ctx context.Context, bucket model.UUID, key string, v model.ObjectVersion) (model.ObjectVersion, error) {
	newest, err := s.t.Objects.InsertNewest(ctx, model.NewObject(bucket, key, v))
	if err != nil || newest < v.TS || s.cfg.NoRedo {
		return v, err
	}
	redo := v
	redo.UUID, redo.TS = model.NewUUID(s.env.Rand), s.stamp(newest)
	_, err = s.t.Objects.InsertNewest(ctx, model.NewObject(bucket, key, redo))
	return redo, err
}

// beginUpload writes an uploading version of (bucket, key) in state st,
// with writeVersion's timestamp rule: on a redo, the first version is
// aborted in the same write. A write that failed is aborted in the
// background (it may have reached some replicas).
func (s *Service) beginUpload(ctx context.Context, bucket model.UUID, key string, st model.VersionState) (model.ObjectVersion, error) {
	v := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: s.firstStamp(bucket, key), State: st}
	newest, err := s.t.Objects.InsertNewest(ctx, model.NewObject(bucket, key, v))
	if err != nil {
		s.abortLater(bucket, key, v)
		return v, err
	}
	if newest < v.TS || s.cfg.NoRedo {
		return v, nil
	}
	redo := v
	redo.UUID, redo.TS = model.NewUUID(s.env.Rand), s.stamp(newest)
	o := model.NewObject(bucket, key, aborted(v)).Merge(model.NewObject(bucket, key, redo))
	if _, err := s.t.Objects.InsertNewest(ctx, o); err != nil {
		s.abortLater(bucket, key, redo)
		return redo, err
	}
	return redo, nil
}

func aborted(v model.ObjectVersion) model.ObjectVersion {
	v.State = model.VersionState{Kind: model.Aborted}
	return v
}

// abortLater aborts version v of (bucket, key) from a task of the node,
// whatever becomes of the caller: a failed upload's cleanup. Only a
// version never written complete may be aborted (see
// model.VersionState.Merge). If the abort fails too, the abort worker of
// the replicas that hold the upload does it after UploadTimeout.
func (s *Service) abortLater(bucket model.UUID, key string, v model.ObjectVersion) {
	s.env.Tasks.Spawn("object-abort", func(ctx context.Context) {
		if err := s.t.Objects.Insert(ctx, model.NewObject(bucket, key, aborted(v))); err != nil {
			s.env.Log.Info("abort of a failed upload failed; the abort worker will retry", "bucket", bucket,
				"key", key, "version", v.UUID, "err", err)
		}
	})
}

// putBlocks stores an object of InlineMax bytes or more as blocks.
func (s *Service) putBlocks(ctx context.Context, bucket model.UUID, key string, r io.Reader, meta model.Meta, q model.Quotas) (ObjectInfo, error) {
	if s.blocks == nil {
		return ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, ErrNoBlockStorage)
	}
	up, err := s.beginUpload(ctx, bucket, key, model.VersionState{Kind: model.Uploading, Meta: meta})
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("put %s/%s: begin upload: %w", bucket, key, err)
	}
	sum := md5.New()
	st, err := s.storeBlocks(ctx, up.UUID, model.ObjectLink(bucket, key), 0, r, sum)
	if err == nil {
		meta.Size = st.size
		if meta.ETag == "" {
			meta.ETag = hex.EncodeToString(sum.Sum(nil))
		}
		err = s.checkQuota(ctx, bucket, key, q, meta.Size)
	}
	if err != nil {
		s.abortLater(bucket, key, up)
		return ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	up.State = model.VersionState{Kind: model.Complete, Data: model.FirstBlock, Meta: meta, Block: st.first}
	if err := s.t.Objects.Insert(ctx, model.NewObject(bucket, key, up)); err != nil {
		// Never abort here: some replica may hold the version complete.
		return ObjectInfo{}, fmt.Errorf("put %s/%s: complete: %w", bucket, key, err)
	}
	return infoOf(bucket, key, up), nil
}

// Delete writes a delete marker on object key of bucket (which need not
// exist), with writeVersion's timestamp rule: one quorum round trip in
// the common case.
func (s *Service) Delete(ctx context.Context, bucket model.UUID, key string) (ObjectInfo, error) {
	if _, err := s.liveBucket(bucket); err != nil {
		return ObjectInfo{}, err
	}
	v := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: s.firstStamp(bucket, key),
		State: model.VersionState{Kind: model.Complete, Data: model.DeleteMarker}}
	v, err := s.writeVersion(ctx, bucket, key, v)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("delete %s/%s: %w", bucket, key, err)
	}
	return infoOf(bucket, key, v), nil
}
