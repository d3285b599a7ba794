package s3

import (
	"encoding/base64"
	"strings"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// Begin returns where a listing of prefix rolled up at delimiter resumes
// after marker (a key or a common prefix): just after marker, or, when
// marker lies under a common prefix, after every key of that prefix.
func Begin(prefix, delimiter, marker string) string {
	if marker == "" {
		return ""
	}
	if delimiter != "" && strings.HasPrefix(marker, prefix) {
		rest := marker[len(prefix):]
		if i := strings.Index(rest, delimiter); i >= 0 {
			return successor(prefix + rest[:i+len(delimiter)])
		}
	}
	return marker + "\x00"
}

// successor returns the least string greater than every string starting
// with p (p itself if none is: p is all 0xff bytes).
func successor(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return p
}

// list runs a listing of the bucket with the request's parameters,
// starting at begin.
func (c *call) list(p s3req.ListParams, begin string) (ListPage, error) {
	if p.MaxKeys == 0 {
		return ListPage{}, nil
	}
	q := ListQuery{Prefix: p.Prefix, Delimiter: p.Delimiter, Begin: begin, Max: p.MaxKeys}
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
	page, err := c.list(p, Begin(p.Prefix, p.Delimiter, p.Marker))
	if err != nil {
		return nil, err
	}
	out := s3xml.ListBucketResult{Name: c.r.Bucket, Prefix: p.Prefix, Marker: p.Marker, MaxKeys: p.MaxKeys,
		Delimiter: p.Delimiter, IsTruncated: page.Truncated, Contents: c.entries(page, true),
		CommonPrefixes: prefixes(page.Prefixes)}
	if page.Truncated {
		out.NextMarker = page.Next
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
	begin := Begin(p.Prefix, p.Delimiter, p.StartAfter)
	if p.ContinuationToken != "" {
		if begin, err = decodeToken(p.ContinuationToken); err != nil {
			return nil, err
		}
	}
	page, err := c.list(p, begin)
	if err != nil {
		return nil, err
	}
	out := s3xml.ListBucketResultV2{Name: c.r.Bucket, Prefix: p.Prefix, MaxKeys: p.MaxKeys,
		KeyCount: len(page.Objects) + len(page.Prefixes), Delimiter: p.Delimiter, IsTruncated: page.Truncated,
		ContinuationToken: p.ContinuationToken, StartAfter: p.StartAfter,
		Contents: c.entries(page, p.FetchOwner), CommonPrefixes: prefixes(page.Prefixes)}
	if page.Truncated {
		out.NextContinuationToken = encodeToken(Begin(p.Prefix, p.Delimiter, page.Next))
	}
	if p.URLEncode {
		out.URLEncode()
	}
	return xmlResponse(out), nil
}

// encodeToken makes the continuation token of a listing resuming at
// begin.
func encodeToken(begin string) string { return base64.RawURLEncoding.EncodeToString([]byte(begin)) }

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
		q := ListQuery{Prefix: p.Prefix, Delimiter: p.Delimiter, Begin: p.KeyMarker, UploadIDMarker: p.UploadIDMarker, Max: p.MaxKeys}
		if p.UploadIDMarker == "" {
			q.Begin = Begin(p.Prefix, p.Delimiter, p.KeyMarker)
		}
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
		out.NextKeyMarker, out.NextUploadIDMarker = page.NextKey, page.NextID
	}
}
