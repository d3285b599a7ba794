package s3

import (
	"encoding/base64"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// list runs a listing of the bucket with the request's parameters, after
// startAfter or from token.
func (c *call) list(p s3req.ListParams, startAfter, token string) (ListPage, error) {
	if p.MaxKeys == 0 {
		return ListPage{}, nil
	}
	q := ListQuery{Prefix: p.Prefix, Delimiter: p.Delimiter, StartAfter: startAfter, Token: token, Max: p.MaxKeys}
	page, err := c.s.store.List(c.ctx, c.bucket.ID, q)
	if err != nil {
		return page, c.errf(err)
	}
	return page, nil
}

// entries converts the objects of a page.
func (c *call) entries(page ListPage, owner bool) []s3xml.Object {
	out := make([]s3xml.Object, len(page.Objects))
	for i, o := range page.Objects {
		out[i] = s3xml.Object{Key: o.Key, LastModified: s3xml.Time(o.Modified), ETag: o.ETag, Size: o.Size,
			StorageClass: "STANDARD"}
		if owner {
			own := c.owner()
			out[i].Owner = &own
		}
		if o.Checksum != checksum.None {
			out[i].ChecksumAlgorithm = []string{o.Checksum.String()}
		}
	}
	return out
}

func prefixes(ps []string) []s3xml.CommonPrefix {
	out := make([]s3xml.CommonPrefix, len(ps))
	for i, p := range ps {
		out[i] = s3xml.CommonPrefix{Prefix: p}
	}
	return out
}

func (c *call) listObjectsV1() (*Response, error) {
	p, err := s3req.ParseListParams(c.r.Query, "max-keys")
	if err != nil {
		return nil, err
	}
	page, err := c.list(p, p.Marker, "")
	if err != nil {
		return nil, err
	}
	out := s3xml.ListBucketResult{Name: c.r.Bucket, Prefix: p.Prefix, Marker: p.Marker, MaxKeys: p.MaxKeys,
		Delimiter: p.Delimiter, IsTruncated: page.Truncated, Contents: c.entries(page, true),
		CommonPrefixes: prefixes(page.Prefixes)}
	if page.Truncated {
		out.NextMarker = page.NextMarker
	}
	if p.URLEncode {
		out.URLEncode()
	}
	return xmlResponse(out), nil
}

func (c *call) listObjectsV2() (*Response, error) {
	p, err := s3req.ParseListParams(c.r.Query, "max-keys")
	if err != nil {
		return nil, err
	}
	var token string
	if p.ContinuationToken != "" {
		if token, err = decodeToken(p.ContinuationToken); err != nil {
			return nil, err
		}
	}
	page, err := c.list(p, p.StartAfter, token)
	if err != nil {
		return nil, err
	}
	out := s3xml.ListBucketResultV2{Name: c.r.Bucket, Prefix: p.Prefix, MaxKeys: p.MaxKeys,
		KeyCount: len(page.Objects) + len(page.Prefixes), Delimiter: p.Delimiter, IsTruncated: page.Truncated,
		ContinuationToken: p.ContinuationToken, StartAfter: p.StartAfter,
		Contents: c.entries(page, p.FetchOwner), CommonPrefixes: prefixes(page.Prefixes)}
	if page.Truncated {
		out.NextContinuationToken = encodeToken(page.Next)
	}
	if p.URLEncode {
		out.URLEncode()
	}
	return xmlResponse(out), nil
}

// encodeToken makes the continuation token of a listing resuming at the
// store's token next (a key, perhaps not valid UTF-8).
func encodeToken(next string) string { return base64.RawURLEncoding.EncodeToString([]byte(next)) }

func decodeToken(t string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return "", s3err.New(s3err.InvalidArgument, "The continuation token provided is incorrect")
	}
	return string(b), nil
}

func (c *call) listMultipartUploads() (*Response, error) {
	p, err := s3req.ParseListParams(c.r.Query, "max-uploads")
	if err != nil {
		return nil, err
	}
	out := s3xml.ListMultipartUploadsResult{Bucket: c.r.Bucket, KeyMarker: p.KeyMarker, UploadIDMarker: p.UploadIDMarker,
		Prefix: p.Prefix, Delimiter: p.Delimiter, MaxUploads: p.MaxKeys}
	if p.MaxKeys > 0 {
		q := UploadQuery{Prefix: p.Prefix, Delimiter: p.Delimiter, KeyMarker: p.KeyMarker, UploadIDMarker: p.UploadIDMarker, Max: p.MaxKeys}
		page, err := c.s.store.ListUploads(c.ctx, c.bucket.ID, q)
		if err != nil {
			return nil, c.errf(err)
		}
		c.fillUploads(&out, page)
	}
	if p.URLEncode {
		out.URLEncode()
	}
	return xmlResponse(out), nil
}

func (c *call) fillUploads(out *s3xml.ListMultipartUploadsResult, page UploadPage) {
	for _, u := range page.Uploads {
		out.Uploads = append(out.Uploads, s3xml.Upload{Key: u.Key, UploadID: u.ID, Initiator: c.owner(), Owner: c.owner(),
			StorageClass: "STANDARD", Initiated: s3xml.Time(u.Initiated)})
	}
	out.CommonPrefixes = prefixes(page.Prefixes)
	out.IsTruncated = page.Truncated
	if page.Truncated {
		out.NextKeyMarker, out.NextUploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}
