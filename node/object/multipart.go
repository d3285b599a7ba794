package object

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// MaxPartNumber is S3's largest part number.
const MaxPartNumber = 10000

// CreateUpload begins a multipart upload of object key of bucket, which
// will store meta's headers, checksum algorithm and encryption, and
// returns its id: an uploading version of the object (with the
// timestamp rule of Put) and an entry in the upload table.
func (s *Service) CreateUpload(ctx context.Context, bucket model.UUID, key string, meta model.Meta) (model.UUID, error) {
	if key == "" {
		return model.UUID{}, fmt.Errorf("create upload: empty object key: %w", ErrInvalidName)
	}
	if _, err := s.liveBucket(bucket); err != nil {
		return model.UUID{}, err
	}
	v, err := s.beginUpload(ctx, bucket, key, model.VersionState{Kind: model.Uploading, Multipart: true, Meta: meta})
	if err != nil {
		return model.UUID{}, fmt.Errorf("create upload of %s/%s: %w", bucket, key, err)
	}
	if err := s.t.MPUs.Insert(ctx, model.NewMPU(v.UUID, v.TS, bucket, key)); err != nil {
		s.abortLater(bucket, key, v)
		return model.UUID{}, fmt.Errorf("create upload of %s/%s: %w", bucket, key, err)
	}
	return v.UUID, nil
}

// upload reads upload id of (bucket, key): its object (for the uploading
// version) and its upload entry, at once, or fails with ErrNoSuchUpload.
func (s *Service) upload(ctx context.Context, bucket model.UUID, key string, id model.UUID) (model.Object, model.MPU, error) {
	mf := rt.Go(s.env.Tasks, "object-get-upload", func(ctx context.Context) (model.MPU, error) {
		m, ok, err := s.t.MPUs.Get(ctx, id[:], nil)
		if err == nil && (!ok || bool(m.Deleted) || m.Head.V.Bucket != bucket || m.Head.V.Key != key) {
			err = fmt.Errorf("upload %s of %s/%s: %w", id, bucket, key, ErrNoSuchUpload)
		}
		return m, err
	})
	o, _, err := s.t.Objects.Get(ctx, bucket[:], []byte(key))
	m, merr := mf.Wait(context.Background())
	if err != nil {
		return o, m, err
	}
	if merr != nil {
		return o, m, merr
	}
	if v, ok := o.Version(id); !ok || v.State.Kind != model.Uploading || !v.State.Multipart {
		return o, m, fmt.Errorf("upload %s of %s/%s: %w", id, bucket, key, ErrNoSuchUpload)
	}
	return o, m, nil
}

// PartInfo describes an uploaded part.
type PartInfo struct {
	Number int
	ETag   string // hex MD5, unquoted
	Size   uint64
	TS     uint64 // when it was uploaded (ms)
}

// UploadPart stores the bytes of r as part number of upload id: its own
// version, registered in the upload before its blocks are stored (so that
// an abort collects them), then its ETag.
func (s *Service) UploadPart(ctx context.Context, bucket model.UUID, key string, id model.UUID, number int, r io.Reader) (PartInfo, error) {
	if number < 1 || number > MaxPartNumber {
		return PartInfo{}, fmt.Errorf("part number %d: %w", number, ErrInvalidPart)
	}
	if s.blocks == nil {
		return PartInfo{}, ErrNoBlockStorage
	}
	_, m, err := s.upload(ctx, bucket, key, id)
	if err != nil {
		return PartInfo{}, err
	}
	pv, ts := model.NewUUID(s.env.Rand), s.stamp(newestPart(m, number))
	reg := model.NewMPU(id, m.Head.V.TS, bucket, key)
	if err := s.t.MPUs.Insert(ctx, reg.WithPart(uint64(number), ts, model.MPUPart{Version: pv})); err != nil {
		return PartInfo{}, fmt.Errorf("upload part %d of %s: %w", number, id, err)
	}
	sum := md5.New()
	st, err := s.storeBlocks(ctx, pv, model.UploadLink(id), uint64(number), r, sum)
	if err != nil {
		return PartInfo{}, fmt.Errorf("upload part %d of %s: %w", number, id, err)
	}
	p := PartInfo{Number: number, ETag: hex.EncodeToString(sum.Sum(nil)), Size: st.size, TS: ts}
	done := reg.WithPart(uint64(number), ts, model.MPUPart{Version: pv, ETag: p.ETag, Size: p.Size})
	if err := s.t.MPUs.Insert(ctx, done); err != nil {
		return PartInfo{}, fmt.Errorf("upload part %d of %s: %w", number, id, err)
	}
	return p, nil
}

// newestPart returns the newest timestamp of an upload of part number.
func newestPart(m model.MPU, number int) uint64 {
	var ts uint64
	for k := range m.Parts.All() {
		if k.A() == uint64(number) {
			ts = max(ts, k.B())
		}
	}
	return ts
}

// Range is a byte range: Length bytes from Start.
type Range struct {
	Start, Length int64
}

// UploadPartCopy stores bytes of the visible version of srcKey of
// srcBucket as part number of upload id: all of them, or rng if not nil.
// The bytes are read (the part's ETag is their MD5) and stored again,
// which costs no space for the blocks that come out equal.
func (s *Service) UploadPartCopy(ctx context.Context, bucket model.UUID, key string, id model.UUID, number int,
	srcBucket model.UUID, srcKey string, rng *Range) (PartInfo, error) {
	var opts GetOptions
	if rng != nil {
		opts.Range = func(size int64) (int64, int64, error) {
			if rng.Start < 0 || rng.Length < 0 || rng.Start+rng.Length > size {
				return 0, 0, fmt.Errorf("copy range [%d, +%d) of %d bytes: %w", rng.Start, rng.Length, size, ErrInvalidPart)
			}
			return rng.Start, rng.Length, nil
		}
	}
	c, err := s.Get(ctx, srcBucket, srcKey, opts)
	if err != nil {
		return PartInfo{}, err
	}
	defer c.Body.Close()
	return s.UploadPart(ctx, bucket, key, id, number, c.Body)
}

// CompletedPart names a part in CompleteUpload: its number and ETag.
type CompletedPart struct {
	Number int
	ETag   string // quoted or not
}

// CompleteOptions tune CompleteUpload.
type CompleteOptions struct {
	// MinPartSize, if positive, is the least size of every part but the
	// last (S3: 5 MiB); smaller ones fail with ErrPartTooSmall.
	MinPartSize uint64
}

// CompleteUpload makes the listed parts (ascending numbers, a subset of
// those uploaded, each with the ETag of its newest upload) the object's
// new version: a new version whose block list is the parts' blocks, with
// references of its own, stamped after the newest version of the object
// (Garage's rule: the object was just read). The upload's version, older,
// is dropped, which deletes the upload and so its part versions; their
// blocks stay for the new version's references. The ETag is the MD5 of
// the parts' MD5s, "-" and their number.
func (s *Service) CompleteUpload(ctx context.Context, bucket model.UUID, key string, id model.UUID,
	parts []CompletedPart, opts CompleteOptions) (ObjectInfo, error) {
	o, m, err := s.upload(ctx, bucket, key, id)
	if err != nil {
		return ObjectInfo{}, err
	}
	chosen, err := choose(m, parts, opts)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("complete upload %s: %w", id, err)
	}
	blocks, err := s.partBlocks(ctx, chosen)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("complete upload %s: %w", id, err)
	}
	up, _ := o.Version(id)
	meta, err := finalMeta(up.State.Meta, chosen)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("complete upload %s: %w", id, err)
	}
	final := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: s.stamp(o.Stamp()),
		State: model.VersionState{Kind: model.Complete, Data: model.Inline, Meta: meta, Inline: []byte{}}}
	if len(blocks) > 0 {
		final.State = model.VersionState{Kind: model.Complete, Data: model.FirstBlock, Meta: meta, Block: blocks[0].Hash}
		if err := s.recordBlocks(ctx, final.UUID, model.ObjectLink(bucket, key), blocks); err != nil {
			return ObjectInfo{}, fmt.Errorf("complete upload %s: %w", id, err)
		}
	}
	if err := s.t.Objects.Insert(ctx, model.NewObject(bucket, key, final)); err != nil {
		return ObjectInfo{}, fmt.Errorf("complete upload %s: %w", id, err)
	}
	return infoOf(bucket, key, final), nil
}

// choose checks the parts asked for against the upload's and returns
// them.
func choose(m model.MPU, parts []CompletedPart, opts CompleteOptions) ([]model.Part, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no part: %w", ErrInvalidPart)
	}
	latest := map[int]model.Part{}
	for _, p := range m.LatestParts() {
		latest[int(p.Number)] = p
	}
	out := make([]model.Part, 0, len(parts))
	for i, cp := range parts {
		if i > 0 && cp.Number <= parts[i-1].Number {
			return nil, fmt.Errorf("part %d after part %d: %w", cp.Number, parts[i-1].Number, ErrInvalidOrder)
		}
		p, ok := latest[cp.Number]
		if !ok || p.ETag != strings.Trim(cp.ETag, `"`) {
			return nil, fmt.Errorf("part %d with ETag %s: %w", cp.Number, cp.ETag, ErrInvalidPart)
		}
		if opts.MinPartSize > 0 && i < len(parts)-1 && p.Size < opts.MinPartSize {
			return nil, fmt.Errorf("part %d of %d bytes: %w", cp.Number, p.Size, ErrPartTooSmall)
		}
		out = append(out, p)
	}
	return out, nil
}

// partBlocks reads the block lists of the parts, at once, and returns
// their blocks in order.
func (s *Service) partBlocks(ctx context.Context, parts []model.Part) ([]model.PlacedBlock, error) {
	fs := make([]*rt.Future[model.Version], len(parts))
	for i, p := range parts {
		fs[i] = rt.Go(s.env.Tasks, "object-get-part", func(ctx context.Context) (model.Version, error) {
			v, ok, err := s.t.Versions.Get(ctx, p.Version[:], nil)
			if err == nil && (!ok || bool(v.Deleted)) {
				err = fmt.Errorf("part %d: version %s: %w", p.Number, p.Version, ErrDataMissing)
			}
			return v, err
		})
	}
	var out []model.PlacedBlock
	for i, f := range fs {
		v, err := f.Wait(context.Background())
		if err != nil {
			return nil, err
		}
		var size uint64
		for _, b := range v.BlockList() {
			out, size = append(out, b), size+b.Size
		}
		if size != parts[i].Size {
			return nil, fmt.Errorf("part %d: %d bytes of blocks for %d uploaded: %w", parts[i].Number, size, parts[i].Size, ErrDataMissing)
		}
	}
	return out, nil
}

// finalMeta is the upload's meta with the size, ETag and part count of
// the chosen parts.
func finalMeta(meta model.Meta, parts []model.Part) (model.Meta, error) {
	sum := md5.New()
	meta.Size = 0
	for _, p := range parts {
		b, err := hex.DecodeString(p.ETag)
		if err != nil {
			return meta, fmt.Errorf("part %d: ETag %q: %w", p.Number, p.ETag, ErrInvalidPart)
		}
		sum.Write(b)
		meta.Size += p.Size
	}
	meta.ETag = fmt.Sprintf("%s-%d", hex.EncodeToString(sum.Sum(nil)), len(parts))
	meta.Parts = uint64(len(parts))
	return meta, nil
}

// AbortUpload aborts upload id of (bucket, key): its version is aborted,
// which deletes the upload and its parts' versions, whose blocks are
// then collected.
func (s *Service) AbortUpload(ctx context.Context, bucket model.UUID, key string, id model.UUID) error {
	o, _, err := s.upload(ctx, bucket, key, id)
	if err != nil {
		return err
	}
	v, _ := o.Version(id)
	if err := s.t.Objects.Insert(ctx, model.NewObject(bucket, key, aborted(v))); err != nil {
		return fmt.Errorf("abort upload %s: %w", id, err)
	}
	return nil
}
