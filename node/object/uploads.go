package object

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/model"
)

// UploadInfo describes a multipart upload in progress.
type UploadInfo struct {
	Key    string
	Upload model.UUID
	TS     uint64 // initiation (ms)
	Meta   model.Meta
}

// Initiated returns the upload's initiation date.
func (u UploadInfo) Initiated() time.Time { return time.UnixMilli(int64(u.TS)).UTC() }

// ListUploadsOptions select a page of a bucket's multipart uploads.
type ListUploadsOptions struct {
	Prefix, Delimiter string
	// KeyMarker lists the uploads of the keys after it, and, with
	// UploadIDMarker, those of KeyMarker after that upload.
	KeyMarker      string
	UploadIDMarker *model.UUID
	// MaxUploads bounds the uploads and common prefixes returned;
	// DefaultMaxKeys if negative.
	MaxUploads int
}

// UploadsPage is a page of uploads, by key then initiation.
type UploadsPage struct {
	Uploads            []UploadInfo
	CommonPrefixes     []string
	Truncated          bool
	NextKeyMarker      string
	NextUploadIDMarker model.UUID
}

// ListUploads returns a page of bucket's multipart uploads in progress.
func (s *Service) ListUploads(ctx context.Context, bucket model.UUID, o ListUploadsOptions) (UploadsPage, error) {
	if _, err := s.liveBucket(bucket); err != nil {
		return UploadsPage{}, err
	}
	maxN := o.MaxUploads
	if maxN < 0 {
		maxN = DefaultMaxKeys
	}
	w := walk{s: s, bucket: bucket, filter: model.FilterUploads, prefix: o.Prefix, delim: o.Delimiter}
	start := w.start(o.KeyMarker, "")
	if o.UploadIDMarker != nil && o.KeyMarker != "" {
		start = max(w.prefix, o.KeyMarker)
	}
	var page UploadsPage
	count := 0
	full := func() bool {
		if count == maxN {
			page.Truncated = true
			return true
		}
		count++
		return false
	}
	_, _, err := w.run(ctx, start, func() int { return maxN - count }, func(obj model.Object, cp string) bool {
		if cp != "" {
			if full() {
				return false
			}
			page.CommonPrefixes, page.NextKeyMarker = append(page.CommonPrefixes, cp), cp
			return true
		}
		for _, v := range obj.Uploads() {
			if obj.Key == o.KeyMarker && o.UploadIDMarker != nil && !after(v, obj, *o.UploadIDMarker) {
				continue
			}
			if full() {
				return false
			}
			page.Uploads = append(page.Uploads, UploadInfo{Key: obj.Key, Upload: v.UUID, TS: v.TS, Meta: v.State.Meta})
			page.NextKeyMarker, page.NextUploadIDMarker = obj.Key, v.UUID
		}
		return true
	})
	if err != nil {
		return UploadsPage{}, fmt.Errorf("list uploads of bucket %s: %w", bucket, err)
	}
	if !page.Truncated {
		page.NextKeyMarker, page.NextUploadIDMarker = "", model.UUID{}
	}
	return page, nil
}

// after reports whether upload v of obj comes after upload marker in the
// listing order (initiation, then id); every upload does if the marker
// is not one of obj's.
func after(v model.ObjectVersion, obj model.Object, marker model.UUID) bool {
	m, ok := obj.Version(marker)
	if !ok {
		return true
	}
	return v.TS > m.TS || (v.TS == m.TS && bytes.Compare(v.UUID[:], m.UUID[:]) > 0)
}

// PartsPage is a page of an upload's parts, by number.
type PartsPage struct {
	Parts      []PartInfo
	Truncated  bool
	NextMarker int
	// Meta holds the headers the upload will store.
	Meta model.Meta
}

// ListParts returns the parts of upload id of (bucket, key) whose
// number is above marker, at most maxParts (DefaultMaxKeys if negative),
// each at its newest finished upload.
func (s *Service) ListParts(ctx context.Context, bucket model.UUID, key string, id model.UUID, marker, maxParts int) (PartsPage, error) {
	o, m, err := s.upload(ctx, bucket, key, id)
	if err != nil {
		return PartsPage{}, err
	}
	if maxParts < 0 {
		maxParts = DefaultMaxKeys
	}
	v, _ := o.Version(id)
	page := PartsPage{Meta: v.State.Meta}
	for _, p := range m.LatestParts() {
		if int(p.Number) <= marker {
			continue
		}
		if len(page.Parts) == maxParts {
			page.Truncated = true
			break
		}
		page.Parts = append(page.Parts, PartInfo{Number: int(p.Number), ETag: p.ETag, Size: p.Size, TS: p.TS})
		page.NextMarker = int(p.Number)
	}
	if !page.Truncated {
		page.NextMarker = 0
	}
	return page, nil
}
