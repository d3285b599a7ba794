package objstore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
)

// metaPrefix starts the stored headers of user metadata.
const metaPrefix = "x-amz-meta-"

// toModel converts the S3 layer's metadata to the model's.
func toModel(m s3.ObjectMeta) model.Meta {
	out := model.Meta{Size: uint64(m.Size), ETag: strings.Trim(m.ETag, `"`), Parts: uint64(m.PartCount)}
	for _, h := range m.Headers {
		out.Headers = append(out.Headers, model.Header{Name: h.Name, Value: h.Value})
	}
	for _, um := range m.UserMeta {
		out.Headers = append(out.Headers, model.Header{Name: um.Header(), Value: um.Value})
	}
	if a := m.Checksum.Algorithm; a != checksum.None {
		out.Checksum = model.Checksum{Algorithm: a.String(), Value: m.Checksum.Sum}
	}
	if m.SSE != nil {
		out.Encryption = model.Encryption{Algorithm: s3req.SSEAlgorithm, KeyMD5: append([]byte(nil), m.SSE.KeyMD5[:]...)}
	}
	return out
}

// fromModel converts the model's metadata to the S3 layer's.
func fromModel(m model.Meta) s3.ObjectMeta {
	out := s3.ObjectMeta{Size: int64(m.Size), ETag: `"` + m.ETag + `"`, PartCount: int(m.Parts)}
	for _, h := range m.Headers {
		if name, ok := strings.CutPrefix(strings.ToLower(h.Name), metaPrefix); ok {
			out.UserMeta = append(out.UserMeta, s3req.Meta{Name: name, Value: h.Value})
			continue
		}
		out.Headers = append(out.Headers, s3.Header{Name: h.Name, Value: h.Value})
	}
	if a, err := checksum.ParseAlgorithm(m.Checksum.Algorithm); err == nil && m.Checksum.Algorithm != "" {
		out.Checksum = checksum.Value{Algorithm: a, Sum: m.Checksum.Value}
	}
	if m.Encryption.Algorithm != "" {
		var sse s3.SSEInfo
		copy(sse.KeyMD5[:], m.Encryption.KeyMD5)
		out.SSE = &sse
	}
	return out
}

// objectOf converts a stored version.
func objectOf(info object.ObjectInfo, parts int) s3.Object {
	o := s3.Object{Bucket: s3.BucketID(info.Bucket.String()), Key: info.Key, Modified: info.LastModified(),
		Meta: fromModel(info.Meta), Handle: info.Version}
	if parts > 0 {
		o.Meta.PartCount = parts
	}
	return o
}

// uuid parses a bucket, upload or version id.
func uuid(id string) (model.UUID, error) {
	u, err := model.ParseUUID(id)
	if err != nil {
		return u, fmt.Errorf("id %q: %w", id, s3.ErrNoSuchBucket)
	}
	return u, nil
}

// mapErr wraps an error of the object service with the S3 layer's
// sentinel of the same meaning, if there is one.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range []struct{ from, to error }{
		{object.ErrNoSuchBucket, s3.ErrNoSuchBucket}, {object.ErrBucketExists, s3.ErrBucketExists},
		{object.ErrBucketNotEmpty, s3.ErrBucketNotEmpty}, {object.ErrNoSuchKey, s3.ErrNoSuchKey},
		{object.ErrNoSuchUpload, s3.ErrNoSuchUpload}, {object.ErrInvalidPart, s3.ErrInvalidPart},
		{object.ErrPartTooSmall, s3.ErrPartTooSmall}, {object.ErrQuotaExceeded, s3.ErrQuotaExceeded},
		{object.ErrNoSuchAccessKey, s3.ErrNoSuchAccessKey},
	} {
		if errors.Is(err, m.from) {
			return fmt.Errorf("%w: %w", m.to, err)
		}
	}
	switch {
	case errors.Is(err, object.ErrInvalidOrder):
		return s3err.Wrap(s3err.InvalidPartOrder, err)
	case errors.Is(err, object.ErrInvalidName):
		return s3err.Wrap(s3err.InvalidBucketName, err)
	}
	return err
}
