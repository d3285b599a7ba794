package s3

import (
	"crypto/subtle"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
)

// HTTPTime is the layout of HTTP dates (Last-Modified).
const HTTPTime = "Mon, 02 Jan 2006 15:04:05 GMT"

func (c *call) getObject() (*Response, error) { return c.readObject(true) }

func (c *call) headObject() (*Response, error) { return c.readObject(false) }

// readObject answers GetObject (withBody) or HeadObject: conditions,
// SSE-C key, partNumber or Range, response-* overrides.
func (c *call) readObject(withBody bool) (*Response, error) {
	obj, err := c.s.store.Head(c.ctx, c.bucket.ID, c.r.Key)
	if err != nil {
		return nil, c.errf(err)
	}
	key, err := c.objectKey(obj, s3req.ParseSSEC)
	if err != nil {
		return nil, err
	}
	if err := s3req.ParseConditions(c.r.Get).Check(obj.Meta.ETag, obj.Modified); err != nil {
		if s3err.Is(err, s3err.NotModified) {
			return c.notModified(obj), nil
		}
		return nil, err
	}
	resp := newResponse(200)
	objectHeaders(resp, obj)
	start, length, err := c.selectRange(resp, obj)
	if err != nil {
		return nil, err
	}
	if err := c.overrides(resp); err != nil {
		return nil, err
	}
	if c.r.Get("X-Amz-Checksum-Mode") == "ENABLED" && length == obj.Meta.Size {
		setChecksum(resp, obj.Meta.Checksum, obj.Meta.PartCount)
	}
	if key != nil {
		setSSE(resp, key)
	}
	resp.set("Content-Length", strconv.FormatInt(length, 10))
	resp.Length = length
	if withBody && length > 0 {
		rc := dataReader{ctx: c.ctx, store: c.s.store, obj: obj, key: keyBytes(key)}.open(start, length)
		resp.Body, resp.Close = rc, func() { rc.Close() }
	}
	return resp, nil
}

// keyBytes returns the raw customer key, or nil.
func keyBytes(k *s3req.SSECustomerKey) *[32]byte {
	if k == nil {
		return nil
	}
	return &k.Key
}

// objectKey returns the customer key that decrypts obj, read from the
// request by parse: required (and checked) for an encrypted object,
// refused for a plain one.
func (c *call) objectKey(obj Object, parse func(func(string) string) (*s3req.SSECustomerKey, error)) (*s3req.SSECustomerKey, error) {
	k, err := parse(c.r.Get)
	if err != nil {
		return nil, err
	}
	sse := obj.Meta.SSE
	switch {
	case sse == nil && k != nil:
		return nil, s3err.New(s3err.InvalidRequest, "The encryption parameters are not applicable to this object.")
	case sse == nil:
		return nil, nil
	case k == nil:
		return nil, s3err.New(s3err.InvalidRequest, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
	case subtle.ConstantTimeCompare(k.KeyMD5[:], sse.KeyMD5[:]) != 1:
		return nil, s3err.New(s3err.AccessDenied, "The provided customer key does not match the one the object was encrypted with.")
	}
	return k, nil
}

// notModified is the 304 answer of a conditional read.
func (c *call) notModified(obj Object) *Response {
	r := newResponse(304)
	r.set("Etag", obj.Meta.ETag)
	r.set("Last-Modified", httpTime(obj.Modified))
	return r
}

// objectHeaders sets the headers every read of obj carries.
func objectHeaders(r *Response, obj Object) {
	m := obj.Meta
	r.set("Etag", m.ETag)
	r.set("Last-Modified", httpTime(obj.Modified))
	r.set("Accept-Ranges", "bytes")
	r.set("Content-Type", "binary/octet-stream")
	for _, h := range m.Headers {
		r.set(canonicalHeader(h.Name), h.Value)
	}
	for _, um := range m.UserMeta {
		r.set(canonicalHeader(um.Header()), um.Value)
	}
}

// selectRange returns the plaintext range a read returns: the part of
// partNumber, the Range header's, or the whole object; it sets the
// status and headers of a partial answer.
func (c *call) selectRange(resp *Response, obj Object) (int64, int64, error) {
	size := obj.Meta.Size
	if pn := c.r.Query.Get("partNumber"); pn != "" {
		n, err := s3req.ParsePartNumber(pn)
		if err != nil {
			return 0, 0, err
		}
		return partRange(resp, obj, n)
	}
	rg, partial, err := s3req.ParseRange(c.r.Get("Range"), size)
	if err != nil {
		return 0, 0, err
	}
	if !partial {
		return 0, size, nil
	}
	resp.Status = 206
	resp.set("Content-Range", rg.ContentRange(size))
	return rg.Start, rg.Length, nil
}

// partRange selects part n of obj, counting its parts from 1 in order
// (a single-part object has part 1 only).
func partRange(resp *Response, obj Object, n int) (int64, int64, error) {
	m := obj.Meta
	parts := m.Parts
	if len(parts) == 0 {
		parts = []PartSize{{Number: 1, Size: m.Size}}
	}
	if n > len(parts) {
		return 0, 0, s3err.New(s3err.InvalidPartNumber, "")
	}
	var off int64
	for _, p := range parts[:n-1] {
		off += p.Size
	}
	size := parts[n-1].Size
	resp.Status = 206
	resp.set("X-Amz-Mp-Parts-Count", strconv.Itoa(len(parts)))
	if size > 0 {
		resp.set("Content-Range", s3req.Range{Start: off, Length: size}.ContentRange(m.Size))
	}
	return off, size, nil
}

// overrides applies the response-* parameters.
func (c *call) overrides(resp *Response) error {
	ovs, err := s3req.ResponseOverrides(c.r.Query, c.key == nil)
	if err != nil {
		return err
	}
	for _, o := range ovs {
		resp.set(canonicalHeader(o.Header), o.Value)
	}
	return nil
}

// httpTime formats t as an HTTP date.
func httpTime(t time.Time) string { return t.UTC().Format(HTTPTime) }

// canonicalHeader returns the canonical MIME form of a header name:
// "x-amz-meta-foo" → "X-Amz-Meta-Foo".
func canonicalHeader(name string) string {
	b := []byte(strings.ToLower(name))
	upper := true
	for i, ch := range b {
		if upper && 'a' <= ch && ch <= 'z' {
			b[i] = ch - 'a' + 'A'
		}
		upper = ch == '-'
	}
	return string(b)
}

// tagging is the document of GetObjectTagging.
type tagging struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []struct{} `xml:"TagSet>Tag"`
}

// getObjectTagging answers an empty tag set: objects have no tags here
// (clients such as awscli read the tags of a source before copying it).
func (c *call) getObjectTagging() (*Response, error) {
	if _, err := c.s.store.Head(c.ctx, c.bucket.ID, c.r.Key); err != nil {
		return nil, c.errf(err)
	}
	return xmlResponse(tagging{}), nil
}
