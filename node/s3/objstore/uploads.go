package objstore

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
)

// CreateUpload starts a multipart upload.
func (s Store) CreateUpload(ctx context.Context, b s3.BucketID, key string, meta s3.ObjectMeta) (s3.Upload, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.Upload{}, err
	}
	id, err := s.o.CreateUpload(ctx, u, key, toModel(meta))
	if err != nil {
		return s3.Upload{}, mapErr(err)
	}
	return s3.Upload{Bucket: b, Key: key, ID: id.String(), Meta: meta}, nil
}

// upload parses an upload's ids.
func upload(u s3.Upload) (model.UUID, model.UUID, error) {
	b, err := bucketUUID(u.Bucket)
	if err != nil {
		return b, b, err
	}
	id, err := model.ParseUUID(u.ID)
	if err != nil {
		return b, id, s3.ErrNoSuchUpload
	}
	return b, id, nil
}

// Upload looks an upload up: a listing of its parts (one quorum round
// trip), which also holds its metadata.
func (s Store) Upload(ctx context.Context, b s3.BucketID, key, id string) (s3.Upload, error) {
	u := s3.Upload{Bucket: b, Key: key, ID: id}
	bu, uid, err := upload(u)
	if err != nil {
		return u, err
	}
	p, err := s.o.ListParts(ctx, bu, key, uid, 0, 1)
	if err != nil {
		return u, mapErr(err)
	}
	u.Meta = fromModel(p.Meta)
	return u, nil
}

// PutPart stores a part.
func (s Store) PutPart(ctx context.Context, u s3.Upload, n int, in s3.PutInput) (s3.Part, error) {
	b, id, err := upload(u)
	if err != nil {
		return s3.Part{}, err
	}
	p, err := s.o.UploadPart(ctx, b, u.Key, id, n, in.Body)
	if err != nil {
		return s3.Part{}, mapErr(err)
	}
	return partOf(p), nil
}

func partOf(p object.PartInfo) s3.Part {
	return s3.Part{Number: p.Number, Modified: time.UnixMilli(int64(p.TS)).UTC(), ETag: `"` + p.ETag + `"`, Size: int64(p.Size)}
}

// CompleteUpload completes an upload from the given parts.
func (s Store) CompleteUpload(ctx context.Context, u s3.Upload, parts []s3.CompletedPart) (s3.Object, error) {
	b, id, err := upload(u)
	if err != nil {
		return s3.Object{}, err
	}
	ps := make([]object.CompletedPart, len(parts))
	for i, p := range parts {
		ps[i] = object.CompletedPart{Number: p.Number, ETag: p.ETag}
	}
	info, err := s.o.CompleteUpload(ctx, b, u.Key, id, ps, object.CompleteOptions{MinPartSize: s3.MinPartSize})
	if err != nil {
		return s3.Object{}, mapErr(err)
	}
	return objectOf(info, len(parts)), nil
}

// AbortUpload aborts an upload.
func (s Store) AbortUpload(ctx context.Context, u s3.Upload) error {
	b, id, err := upload(u)
	if err != nil {
		return err
	}
	return mapErr(s.o.AbortUpload(ctx, b, u.Key, id))
}

// ListUploads lists a bucket's uploads in progress.
func (s Store) ListUploads(ctx context.Context, b s3.BucketID, q s3.UploadQuery) (s3.UploadPage, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.UploadPage{}, err
	}
	o := object.ListUploadsOptions{Prefix: q.Prefix, Delimiter: q.Delimiter, KeyMarker: q.KeyMarker, MaxUploads: q.Max}
	if q.UploadIDMarker != "" {
		id, err := model.ParseUUID(q.UploadIDMarker)
		if err != nil {
			return s3.UploadPage{}, s3.ErrNoSuchUpload
		}
		o.UploadIDMarker = &id
	}
	p, err := s.o.ListUploads(ctx, u, o)
	if err != nil {
		return s3.UploadPage{}, mapErr(err)
	}
	out := s3.UploadPage{Prefixes: p.CommonPrefixes, Truncated: p.Truncated, NextKeyMarker: p.NextKeyMarker}
	if !p.NextUploadIDMarker.IsZero() {
		out.NextUploadIDMarker = p.NextUploadIDMarker.String()
	}
	for _, up := range p.Uploads {
		out.Uploads = append(out.Uploads, s3.Upload{Bucket: b, Key: up.Key, ID: up.Upload.String(),
			Initiated: up.Initiated(), Meta: fromModel(up.Meta)})
	}
	return out, nil
}

// ListParts lists an upload's parts.
func (s Store) ListParts(ctx context.Context, u s3.Upload, after, max int) (s3.PartPage, error) {
	b, id, err := upload(u)
	if err != nil {
		return s3.PartPage{}, err
	}
	p, err := s.o.ListParts(ctx, b, u.Key, id, after, max)
	if err != nil {
		return s3.PartPage{}, mapErr(err)
	}
	out := s3.PartPage{Truncated: p.Truncated, Next: p.NextMarker}
	for _, pi := range p.Parts {
		out.Parts = append(out.Parts, partOf(pi))
	}
	return out, nil
}
