package object

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/model"
)

// Copy makes object dstKey of dstBucket a copy of the visible version of
// srcKey of srcBucket, without copying data: an inline object's bytes go
// in the new row; a larger object's new version points at the same
// blocks, with block references of its own. meta, if not nil, replaces
// the source's headers, checksum and encryption (the size and ETag stay
// the source's).
func (s *Service) Copy(ctx context.Context, srcBucket model.UUID, srcKey string, dstBucket model.UUID, dstKey string, meta *model.Meta) (ObjectInfo, error) {
	if dstKey == "" {
		return ObjectInfo{}, fmt.Errorf("copy: empty object key: %w", ErrInvalidName)
	}
	q, err := s.quotas(dstBucket)
	if err != nil {
		return ObjectInfo{}, err
	}
	src, err := s.visible(ctx, srcBucket, srcKey)
	if err != nil {
		return ObjectInfo{}, err
	}
	m := src.State.Meta
	if meta != nil {
		m.Headers, m.Checksum, m.Encryption = meta.Headers, meta.Checksum, meta.Encryption
	}
	if err := s.checkQuota(ctx, dstBucket, dstKey, q, m.Size); err != nil {
		return ObjectInfo{}, err
	}
	if src.State.Data == model.Inline {
		st := src.State
		st.Meta = m
		return s.putVersion(ctx, dstBucket, dstKey, st)
	}
	blocks, err := s.blockList(ctx, srcBucket, srcKey, src)
	if err != nil {
		return ObjectInfo{}, err
	}
	return s.copyBlocks(ctx, dstBucket, dstKey, blocks, src.State.Block, m)
}

// putVersion writes a complete version in state st with writeVersion's
// timestamp rule.
func (s *Service) putVersion(ctx context.Context, bucket model.UUID, key string, st model.VersionState) (ObjectInfo, error) {
	v := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: s.firstStamp(bucket, key), State: st}
	v, err := s.writeVersion(ctx, bucket, key, v)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("write %s/%s: %w", bucket, key, err)
	}
	return infoOf(bucket, key, v), nil
}

// copyBlocks writes a new version of (bucket, key) made of blocks: an
// upload, its block list and references, then the completion.
func (s *Service) copyBlocks(ctx context.Context, bucket model.UUID, key string, blocks []model.PlacedBlock, first model.Hash, meta model.Meta) (ObjectInfo, error) {
	up, err := s.beginUpload(ctx, bucket, key, model.VersionState{Kind: model.Uploading, Meta: meta})
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("copy to %s/%s: %w", bucket, key, err)
	}
	if err := s.recordBlocks(ctx, up.UUID, model.ObjectLink(bucket, key), blocks); err != nil {
		s.abortLater(bucket, key, up)
		return ObjectInfo{}, fmt.Errorf("copy to %s/%s: %w", bucket, key, err)
	}
	up.State = model.VersionState{Kind: model.Complete, Data: model.FirstBlock, Meta: meta, Block: first}
	if err := s.t.Objects.Insert(ctx, model.NewObject(bucket, key, up)); err != nil {
		return ObjectInfo{}, fmt.Errorf("copy to %s/%s: complete: %w", bucket, key, err)
	}
	return infoOf(bucket, key, up), nil
}

// recordBlocks writes version u's block list and a reference from u to
// each of its blocks, at once.
func (s *Service) recordBlocks(ctx context.Context, u model.UUID, link model.Backlink, blocks []model.PlacedBlock) error {
	v := model.NewVersion(u, link)
	refs := make([]model.BlockRef, 0, len(blocks))
	for _, b := range blocks {
		v = v.WithBlock(b.Part, b.Offset, b.VersionBlock)
		refs = append(refs, model.BlockRef{Block: b.Hash, Version: u})
	}
	done := s.goErr("object-version", func(ctx context.Context) error { return s.t.Versions.Insert(ctx, v) })
	errRefs := s.t.BlockRefs.InsertMany(ctx, refs)
	errVer := done()
	if errVer != nil {
		return errVer
	}
	return errRefs
}
