package s3

import (
	"bytes"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

func (c *call) createMultipartUpload() (*Response, error) {
	if err := s3req.ValidateKey(c.r.Key); err != nil {
		return nil, err
	}
	meta, err := c.objectMeta()
	if err != nil {
		return nil, err
	}
	sse, err := s3req.ParseSSEC(c.r.Get)
	if err != nil {
		return nil, err
	}
	if sse != nil {
		meta.SSE = &SSEInfo{KeyMD5: sse.KeyMD5}
	}
	if v := c.r.Get(checksum.HeaderAlgorithm); v != "" {
		if meta.Checksum.Algorithm, err = checksum.ParseAlgorithm(v); err != nil {
			return nil, err
		}
	}
	u, err := c.s.store.CreateUpload(c.ctx, c.bucket.ID, c.r.Key, meta)
	if err != nil {
		return nil, c.errf(err)
	}
	resp := xmlResponse(s3xml.InitiateMultipartUploadResult{Bucket: c.r.Bucket, Key: c.r.Key, UploadID: u.ID})
	if a := meta.Checksum.Algorithm; a != checksum.None {
		resp.set(checksum.HeaderAlgorithm, a.String())
	}
	setSSE(resp, sse)
	return resp, nil
}

// upload returns the upload the request's uploadId names.
func (c *call) upload() (Upload, error) {
	id := c.r.Query.Get("uploadId")
	if id == "" {
		return Upload{}, s3err.New(s3err.NoSuchUpload, "")
	}
	u, err := c.s.store.Upload(c.ctx, c.bucket.ID, c.r.Key, id)
	if err != nil {
		return u, c.errf(err)
	}
	return u, nil
}

// partTarget reads the part number and upload of an UploadPart(Copy),
// and the customer key its data is encrypted with, which must be the
// upload's.
func (c *call) partTarget() (int, Upload, *s3req.SSECustomerKey, error) {
	n, err := s3req.ParsePartNumber(c.r.Query.Get("partNumber"))
	if err != nil {
		return 0, Upload{}, nil, err
	}
	u, err := c.upload()
	if err != nil {
		return 0, u, nil, err
	}
	key, err := c.objectKey(Object{Meta: u.Meta}, s3req.ParseSSEC)
	return n, u, key, err
}

func (c *call) uploadPart() (*Response, error) {
	n, u, key, err := c.partTarget()
	if err != nil {
		return nil, err
	}
	up, err := c.newUpload(ObjectMeta{}, key)
	if err != nil {
		return nil, err
	}
	p, err := c.s.store.PutPart(c.ctx, u, n, up.input())
	if err != nil {
		return nil, c.errf(err)
	}
	resp := ok()
	resp.set("Etag", p.ETag)
	setChecksum(resp, up.check.Sums().Checksum, 0)
	setSSE(resp, key)
	return resp, nil
}

func (c *call) uploadPartCopy() (*Response, error) {
	n, u, key, err := c.partTarget()
	if err != nil {
		return nil, err
	}
	src, err := c.copySource()
	if err != nil {
		return nil, err
	}
	size, open, err := c.plaintext(src)
	if err != nil {
		return nil, c.errf(err)
	}
	start, length := int64(0), size
	if v := c.r.Get("X-Amz-Copy-Source-Range"); v != "" {
		rg, err := s3req.ParseCopySourceRange(v, size)
		if err != nil {
			return nil, err
		}
		start, length = rg.Start, rg.Length
	}
	rc := open(start, length)
	defer rc.Close()
	up := c.newUploadFrom(rc, ObjectMeta{}, key, checksum.Expect{Algorithm: u.Meta.Checksum.Algorithm}, nil)
	p, err := c.s.store.PutPart(c.ctx, u, n, up.input())
	if err != nil {
		return nil, c.errf(err)
	}
	resp := xmlResponse(s3xml.CopyPartResult{ETag: p.ETag, LastModified: s3xml.Time(p.Modified)})
	setSSE(resp, key)
	return resp, nil
}

func (c *call) completeMultipartUpload() (*Response, error) {
	u, err := c.upload()
	if err != nil {
		return nil, err
	}
	b, err := c.readDocument()
	if err != nil {
		return nil, err
	}
	doc, err := s3xml.ParseCompleteMultipartUpload(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	parts := make([]CompletedPart, len(doc.Parts))
	for i, p := range doc.Parts {
		parts[i] = CompletedPart{Number: p.PartNumber, ETag: p.ETag}
	}
	obj, err := c.s.store.CompleteUpload(c.ctx, u, parts)
	if err != nil {
		return nil, c.errf(err)
	}
	out := s3xml.CompleteMultipartUploadResult{Location: "/" + c.r.Bucket + "/" + c.r.Key, Bucket: c.r.Bucket,
		Key: c.r.Key, ETag: obj.Meta.ETag}
	resp := xmlResponse(out)
	setChecksum(resp, obj.Meta.Checksum, obj.Meta.PartCount)
	setTimestamp(resp, obj.Modified)
	return resp, nil
}

func (c *call) abortMultipartUpload() (*Response, error) {
	u, err := c.upload()
	if err != nil {
		return nil, err
	}
	if err := c.s.store.AbortUpload(c.ctx, u); err != nil {
		return nil, c.errf(err)
	}
	return noContent(), nil
}

func (c *call) listParts() (*Response, error) {
	p, err := s3req.ParseListPartsParams(c.r.Query)
	if err != nil {
		return nil, err
	}
	u, err := c.upload()
	if err != nil {
		return nil, err
	}
	page, err := c.s.store.ListParts(c.ctx, u, p.PartNumberMarker, p.MaxParts)
	if err != nil {
		return nil, c.errf(err)
	}
	out := s3xml.ListPartsResult{Bucket: c.r.Bucket, Key: c.r.Key, UploadID: u.ID, PartNumberMarker: p.PartNumberMarker,
		MaxParts: p.MaxParts, IsTruncated: page.Truncated, Initiator: c.owner(), Owner: c.owner(), StorageClass: "STANDARD",
		ChecksumAlgorithm: u.Meta.Checksum.Algorithm.String()}
	if page.Truncated {
		out.NextPartNumberMarker = page.Next
	}
	for _, pt := range page.Parts {
		xp := s3xml.Part{PartNumber: pt.Number, LastModified: s3xml.Time(pt.Modified), ETag: pt.ETag, Size: pt.Size}
		xp.Checksums = checksumsOf(pt.Checksum)
		out.Parts = append(out.Parts, xp)
	}
	return xmlResponse(out), nil
}

// checksumsOf returns the XML checksum elements of v.
func checksumsOf(v checksum.Value) s3xml.Checksums {
	var cs s3xml.Checksums
	if v.IsZero() {
		return cs
	}
	b := v.Base64()
	switch v.Algorithm {
	case checksum.CRC32:
		cs.ChecksumCRC32 = b
	case checksum.CRC32C:
		cs.ChecksumCRC32C = b
	case checksum.CRC64NVME:
		cs.ChecksumCRC64NVME = b
	case checksum.SHA1:
		cs.ChecksumSHA1 = b
	case checksum.SHA256:
		cs.ChecksumSHA256 = b
	}
	return cs
}
