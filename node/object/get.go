package object

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// GetOptions select what part of an object a Get or Head serves.
type GetOptions struct {
	// Range, if set, is called with the size of what would be served
	// (the object, or the part) and returns the byte range to serve; its
	// error is returned as is (the S3 layer's unsatisfiable range).
	Range func(size int64) (start, length int64, err error)
	// PartNumber, if positive, serves that part of a multipart object (1
	// for the whole of any other object).
	PartNumber int
}

// Content is an object version being served: its description, the byte
// range served, and the bytes (nil for Head).
type Content struct {
	ObjectInfo
	// Start and Length are the range served, within the object.
	Start, Length int64
	// Parts is the number of parts of a multipart object (0 otherwise).
	Parts int
	// Body reads the range; the caller closes it. Reading fetches blocks
	// as it goes, GetPrefetch ahead; an unreadable block fails the read
	// with an error wrapping ErrDataMissing.
	Body io.ReadCloser
}

// Get serves object key of bucket: its newest complete version, unless
// a delete marker (ErrNoSuchKey). An inline object costs one quorum
// round trip; a larger one reads its block list and its first block at
// once, then streams.
func (s *Service) Get(ctx context.Context, bucket model.UUID, key string, opts GetOptions) (*Content, error) {
	return s.serve(ctx, bucket, key, opts, true)
}

// Head is Get without the bytes: one quorum round trip (two for a part
// of a multipart object, whose bounds are in the block list).
func (s *Service) Head(ctx context.Context, bucket model.UUID, key string, opts GetOptions) (*Content, error) {
	return s.serve(ctx, bucket, key, opts, false)
}

func (s *Service) serve(ctx context.Context, bucket model.UUID, key string, opts GetOptions, body bool) (*Content, error) {
	v, err := s.visible(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	c := &Content{ObjectInfo: infoOf(bucket, key, v), Parts: int(v.State.Meta.Parts)}
	if v.State.Data == model.Inline {
		return c, s.serveInline(c, v, opts, body)
	}
	var first *rt.Future[owned]
	if body && opts.PartNumber <= 1 && s.blocks != nil {
		first = s.fetch(v.State.Block) // most reads start there: fetch it with the block list
	}
	blocks, err := s.blockList(ctx, bucket, key, v)
	if err != nil {
		return nil, err
	}
	spans, err := c.selectRange(blocks, opts)
	if err != nil {
		return nil, err
	}
	if body {
		c.Body = s.newBody(ctx, c.ObjectInfo, spans, first, v.State.Block)
	}
	return c, nil
}

// visible reads the object from a quorum and returns the version served.
func (s *Service) visible(ctx context.Context, bucket model.UUID, key string) (model.ObjectVersion, error) {
	o, _, err := s.t.Objects.Get(ctx, bucket[:], []byte(key))
	if err != nil {
		return model.ObjectVersion{}, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	v, ok := o.Visible()
	if !ok {
		return model.ObjectVersion{}, fmt.Errorf("get %s/%s: %w", bucket, key, ErrNoSuchKey)
	}
	return v, nil
}

func (s *Service) serveInline(c *Content, v model.ObjectVersion, opts GetOptions, body bool) error {
	if opts.PartNumber > 1 {
		return fmt.Errorf("part %d of %s: %w", opts.PartNumber, c.Key, ErrInvalidPart)
	}
	var err error
	if c.Start, c.Length, err = resolve(opts, int64(len(v.State.Inline))); err != nil {
		return err
	}
	if body {
		c.Body = io.NopCloser(bytes.NewReader(v.State.Inline[c.Start : c.Start+c.Length]))
	}
	return nil
}

// resolve returns the range to serve of size bytes.
func resolve(opts GetOptions, size int64) (int64, int64, error) {
	if opts.Range == nil {
		return 0, size, nil
	}
	start, length, err := opts.Range(size)
	if err != nil {
		return 0, 0, err
	}
	if start < 0 || length < 0 || start+length > size {
		return 0, 0, fmt.Errorf("range [%d, +%d) of %d bytes: %w", start, length, size, ErrInvalidPart)
	}
	return start, length, nil
}

// blockList reads the block list of version v, or fails with
// ErrDataMissing (and queues a repair) if it is gone.
func (s *Service) blockList(ctx context.Context, bucket model.UUID, key string, v model.ObjectVersion) ([]model.PlacedBlock, error) {
	ver, ok, err := s.t.Versions.Get(ctx, v.UUID[:], nil)
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: block list: %w", bucket, key, err)
	}
	if !ok || bool(ver.Deleted) || (v.State.Meta.Size > 0 && ver.Blocks.Len() == 0) {
		s.queueRepair(repairItem{version: v.UUID, bucket: bucket, key: key})
		return nil, fmt.Errorf("get %s/%s: version %s has no block list (found %v, deleted %v): %w",
			bucket, key, v.UUID, ok, ver.Deleted, ErrDataMissing)
	}
	return ver.BlockList(), nil
}

// span is the part of one block a read serves.
type span struct {
	hash       block.Hash
	skip, take int64
}

// selectRange sets c's range from the blocks and opts, and returns the
// spans of blocks that serve it.
func (c *Content) selectRange(blocks []model.PlacedBlock, opts GetOptions) ([]span, error) {
	lo, hi, err := partBounds(blocks, opts.PartNumber, c.Parts)
	if err != nil {
		return nil, err
	}
	start, length, err := resolve(opts, hi-lo)
	if err != nil {
		return nil, err
	}
	c.Start, c.Length = lo+start, length
	var out []span
	var at int64
	for _, b := range blocks {
		size := int64(b.Size)
		from, to := max(c.Start, at), min(c.Start+c.Length, at+size)
		if from < to {
			out = append(out, span{hash: b.Hash, skip: from - at, take: to - from})
		}
		at += size
	}
	return out, nil
}

// partBounds returns the byte range of part n (the whole object for n <
// 1, or n == 1 of an object that is not multipart).
func partBounds(blocks []model.PlacedBlock, n, parts int) (int64, int64, error) {
	var total int64
	for _, b := range blocks {
		total += int64(b.Size)
	}
	if n < 1 || (n == 1 && parts == 0) {
		return 0, total, nil
	}
	var lo, at int64
	found := false
	for _, b := range blocks {
		if int(b.Part) < n {
			lo = at + int64(b.Size)
		}
		if int(b.Part) == n {
			found = true
		}
		if int(b.Part) <= n {
			at += int64(b.Size)
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("part %d: %w", n, ErrInvalidPart)
	}
	return lo, at, nil
}
