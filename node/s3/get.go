package s3

import (
	"crypto/subtle"
	"encoding/xml"
	"io"
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
// SSE-C key, partNumber or Range, response-* overrides. A plain GET of a
// whole object is one call of the store (one round trip for a small
// object).
func (c *call) readObject(withBody bool) (*Response, error) {
	obj, body, err := c.lookup(withBody && c.r.Get("Range") == "" && c.r.Query.Get("partNumber") == "")
	if err != nil {
		return nil, c.errf(err)
	}
	resp, err := c.answerRead(obj, body, withBody)
	if err != nil && body != nil {
		body.Close()
	}
	return resp, err
}

// lookup reads the addressed object, with all its bytes if whole.
func (c *call) lookup(whole bool) (Object, io.ReadCloser, error) {
	if whole {
		return c.s.store.Get(c.ctx, c.bucket.ID, c.r.Key)
	}
	obj, err := c.s.store.Head(c.ctx, c.bucket.ID, c.r.Key)
	return obj, nil, err
}

// answerRead builds the answer of a read of obj, whose stored bytes body
// holds if not nil.
func (c *call) answerRead(obj Object, body io.ReadCloser, withBody bool) (*Response, error) {
	key, err := c.objectKey(obj, s3req.ParseSSEC)
	if err != nil {
		return nil, err
	}
	if err := s3req.ParseConditions(c.r.Get).Check(obj.Meta.ETag, obj.Modified); err != nil {
		if s3err.Is(err, s3err.NotModified) {
			if body != nil {
				body.Close()
			}
			return c.notModified(obj), nil
		}
		return nil, err
	}
	segs, err := segments(c.ctx, c.s.store, obj, key)
	if err != nil {
		return nil, c.errf(err)
	}
	resp := newResponse(200)
	objectHeaders(resp, obj)
	start, length, err := c.selectRange(resp, obj, segs)
	if err != nil {
		return nil, err
	}
	if err := c.overrides(resp); err != nil {
		return nil, err
	}
	if c.r.Get("X-Amz-Checksum-Mode") == "ENABLED" && length == plainLength(segs) {
		setChecksum(resp, obj.Meta.Checksum, obj.Meta.PartCount)
	}
	setSSE(resp, key)
	resp.set("Content-Length", strconv.FormatInt(length, 10))
	resp.Length = length
	if !withBody || length == 0 {
		if body != nil {
			body.Close()
		}
		return resp, nil
	}
	rc := dataReader{ctx: c.ctx, store: c.s.store, obj: obj, segs: segs, key: keyBytes(key), whole: body}.open(start, length)
	resp.Body, resp.Close = rc, func() { rc.Close() }
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
func (c *call) selectRange(resp *Response, obj Object, segs []segment) (int64, int64, error) {
	size := plainLength(segs)
	if pn := c.r.Query.Get("partNumber"); pn != "" {
		n, err := s3req.ParsePartNumber(pn)
		if err != nil {
			return 0, 0, err
		}
		return c.partRange(resp, obj, segs, n)
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
func (c *call) partRange(resp *Response, obj Object, segs []segment, n int) (int64, int64, error) {
	count := max(obj.Meta.PartCount, 1)
	if n > count {
		return 0, 0, s3err.New(s3err.InvalidPartNumber, "")
	}
	size := plainLength(segs)
	start, length := int64(0), size
	switch {
	case obj.Meta.PartCount > 0 && len(segs) > 1:
		for _, s := range segs[:n-1] {
			start += s.size
		}
		length = segs[n-1].size
	case obj.Meta.PartCount > 0:
		var err error
		if start, length, err = c.s.store.Part(c.ctx, obj, n); err != nil {
			return 0, 0, c.errf(err)
		}
	}
	resp.Status = 206
	resp.set("X-Amz-Mp-Parts-Count", strconv.Itoa(count))
	if length > 0 {
		resp.set("Content-Range", s3req.Range{Start: start, Length: length}.ContentRange(size))
	}
	return start, length, nil
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
