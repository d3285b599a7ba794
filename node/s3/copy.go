package s3

import (
	"bytes"
	"io"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// source is the object an x-amz-copy-source names, and the customer key
// that decrypts it.
type source struct {
	obj Object
	key *s3req.SSECustomerKey
}

// copySource reads, checks and authorizes the copy source of the
// request: the key must read its bucket, its conditions must hold.
func (c *call) copySource() (source, error) {
	cs, err := s3req.ParseCopySource(c.r.Get("X-Amz-Copy-Source"))
	if err != nil {
		return source{}, err
	}
	b, err := c.resolve(cs.Bucket)
	if err != nil {
		return source{}, err
	}
	if !c.key.allows(b.ID, accessRead) {
		return source{}, s3err.New(s3err.AccessDenied, "Access Denied: key %s may not read bucket %s", c.key.ID, cs.Bucket)
	}
	obj, err := c.s.store.Head(c.ctx, b.ID, cs.Key)
	if err != nil {
		return source{}, toS3(err).WithResource("/" + cs.Bucket + "/" + cs.Key)
	}
	key, err := c.objectKey(obj, s3req.ParseCopySourceSSEC)
	if err != nil {
		return source{}, err
	}
	if err := s3req.ParseCopySourceConditions(c.r.Get).Check(obj.Meta.ETag, obj.Modified); err != nil {
		return source{}, err
	}
	return source{obj: obj, key: key}, nil
}

// plaintext returns the source's plaintext size, and a function opening
// length bytes of it from start.
func (c *call) plaintext(src source) (int64, func(start, length int64) io.ReadCloser, error) {
	segs, err := segments(c.ctx, c.s.store, src.obj, src.key)
	if err != nil {
		return 0, nil, err
	}
	d := dataReader{ctx: c.ctx, store: c.s.store, obj: src.obj, segs: segs, key: keyBytes(src.key)}
	return plainLength(segs), func(start, length int64) io.ReadCloser {
		if length == 0 {
			return io.NopCloser(bytes.NewReader(nil))
		}
		return d.open(start, length)
	}, nil
}

// copyObject copies a whole object, sharing its data when the encryption
// does not change, re-encrypting it otherwise.
func (c *call) copyObject() (*Response, error) {
	if err := s3req.ValidateKey(c.r.Key); err != nil {
		return nil, err
	}
	src, err := c.copySource()
	if err != nil {
		return nil, err
	}
	dstKey, err := s3req.ParseSSEC(c.r.Get)
	if err != nil {
		return nil, err
	}
	meta, err := c.copyMeta(src)
	if err != nil {
		return nil, err
	}
	obj, err := c.copyData(src, dstKey, meta)
	if err != nil {
		return nil, c.errf(err)
	}
	resp := xmlResponse(s3xml.CopyObjectResult{ETag: obj.Meta.ETag, LastModified: s3xml.Time(obj.Modified)})
	setSSE(resp, dstKey)
	setTimestamp(resp, obj.Modified)
	return resp, nil
}

// copyMeta returns the metadata of the copy: the source's, or the
// request's under x-amz-metadata-directive REPLACE. A copy onto itself
// must change something.
func (c *call) copyMeta(src source) (ObjectMeta, error) {
	switch d := c.r.Get("X-Amz-Metadata-Directive"); d {
	case "", "COPY":
		if src.obj.Bucket == c.bucket.ID && src.obj.Key == c.r.Key && src.key == nil && c.r.Get("X-Amz-Server-Side-Encryption-Customer-Key") == "" {
			return ObjectMeta{}, s3err.New(s3err.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
		}
		return src.obj.Meta, nil
	case "REPLACE":
		m, err := c.objectMeta()
		if err != nil {
			return m, err
		}
		old := src.obj.Meta
		m.Size, m.ETag, m.Checksum, m.PartCount, m.SSE = old.Size, old.ETag, old.Checksum, old.PartCount, old.SSE
		return m, nil
	default:
		return ObjectMeta{}, s3err.New(s3err.InvalidArgument, "Unknown metadata directive %q", d)
	}
}

// copyData stores the copy: sharing the stored data when the source's
// encryption is kept, else streaming the plaintext through a new upload.
func (c *call) copyData(src source, dstKey *s3req.SSECustomerKey, meta ObjectMeta) (Object, error) {
	if sameKey(src.key, dstKey) {
		return c.s.store.Copy(c.ctx, src.obj, c.bucket.ID, c.r.Key, meta)
	}
	size, open, err := c.plaintext(src)
	if err != nil {
		return Object{}, err
	}
	rc := open(0, size)
	defer rc.Close()
	u := c.newUploadFrom(rc, meta, dstKey, recompute(src.obj.Meta), nil)
	return c.s.store.Put(c.ctx, c.bucket.ID, c.r.Key, u.input())
}

// recompute is what a copy streaming the data of an object with meta
// computes: the same additional checksum, unless it is a composite one.
func recompute(meta ObjectMeta) checksum.Expect {
	if meta.PartCount > 0 {
		return checksum.Expect{}
	}
	return checksum.Expect{Algorithm: meta.Checksum.Algorithm}
}

// sameKey reports whether two customer keys (or their absence) are one.
func sameKey(a, b *s3req.SSECustomerKey) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.KeyMD5 == b.KeyMD5
}
