package s3

import (
	"io"
	"strconv"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
)

// upload is the decoded body of an object or part upload and the
// metadata it is stored with.
type upload struct {
	check *checksum.Reader
	body  io.Reader // what the store reads
	meta  ObjectMeta
}

// decodedLength returns the length of the request's data: the decoded
// length of an aws-chunked body, else the Content-Length; -1 if unknown.
func (c *call) decodedLength() int64 {
	if c.auth.Payload.Chunked() {
		if n, err := strconv.ParseInt(c.r.Get("X-Amz-Decoded-Content-Length"), 10, 64); err == nil {
			return n
		}
		return -1
	}
	return c.r.ContentLength
}

// newUpload prepares the body of the request as an upload: length check,
// checksums (Content-MD5, x-amz-checksum-* as header or trailer), and
// SSE-C encryption when the request carries a customer key.
func (c *call) newUpload(meta ObjectMeta, sse *s3req.SSECustomerKey) (*upload, error) {
	exp, err := checksum.ParseRequest(c.r.Get, c.auth.Trailers)
	if err != nil {
		return nil, err
	}
	n := c.decodedLength()
	if n < 0 && !c.auth.Payload.Chunked() {
		return nil, s3err.New(s3err.MissingContentLength, "")
	}
	return c.newUploadFrom(&lengthReader{r: c.body, want: n}, meta, sse, exp, c.body.TrailerValue), nil
}

// newUploadFrom prepares an upload of the data of r checked against exp,
// encrypted with a fresh salt under sse, if set.
func (c *call) newUploadFrom(r io.Reader, meta ObjectMeta, sse *s3req.SSECustomerKey, exp checksum.Expect,
	trailer checksum.TrailerFunc) *upload {
	exp.NoETag = true // the store computes the ETag
	u := &upload{meta: meta}
	u.meta.Checksum = checksum.Value{Algorithm: exp.Algorithm, Sum: exp.Value}
	u.meta.Size, u.meta.ETag, u.meta.PartCount, u.meta.SSE = 0, "", 0, nil
	u.check = checksum.NewReader(r, exp, trailer)
	u.body = u.check
	if sse != nil {
		u.meta.SSE = &SSEInfo{KeyMD5: sse.KeyMD5}
		u.body = newEncrypter(u.check, sse.Key, c.salt())
	}
	return u
}

// salt draws a fresh encryption salt.
func (c *call) salt() []byte {
	b := make([]byte, saltSize)
	c.s.rand.Read(b)
	return b
}

// input returns the store's view of the upload.
func (u *upload) input() PutInput {
	return PutInput{Body: u.body, Meta: u.meta, Sums: func() checksum.Value { return u.check.Sums().Checksum }}
}

// lengthReader turns the end of a body shorter or longer than declared
// into IncompleteBody; want < 0 checks nothing.
type lengthReader struct {
	r    io.Reader
	want int64
	n    int64
}

func (l *lengthReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.want >= 0 && (l.n > l.want || (err == io.EOF && l.n != l.want)) {
		return n, s3err.New(s3err.IncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	return n, err
}

// objectMeta reads the metadata of an object from the request: the
// stored standard headers and the user metadata.
func (c *call) objectMeta() (ObjectMeta, error) {
	var m ObjectMeta
	for _, h := range s3req.StoredHeaders() {
		if v := c.r.Get(h); v != "" {
			m.Headers = append(m.Headers, Header{h, v})
		}
	}
	um, err := s3req.UserMetadata(c.r.Header)
	if err != nil {
		return m, err
	}
	m.UserMeta = um
	return m, nil
}

func (c *call) putObject() (*Response, error) {
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
	u, err := c.newUpload(meta, sse)
	if err != nil {
		return nil, err
	}
	obj, err := c.s.store.Put(c.ctx, c.bucket.ID, c.r.Key, u.input())
	if err != nil {
		return nil, c.errf(err)
	}
	resp := ok()
	resp.set("Etag", obj.Meta.ETag)
	setChecksum(resp, u.check.Sums().Checksum, 0)
	setSSE(resp, sse)
	setTimestamp(resp, obj.Modified)
	return resp, nil
}

// setChecksum adds the x-amz-checksum-* header of v, if any (a composite
// checksum of parts ends with -parts).
func setChecksum(resp *Response, v checksum.Value, parts int) {
	if v.IsZero() {
		return
	}
	s := v.Base64()
	if parts > 0 {
		s += "-" + strconv.Itoa(parts)
	}
	resp.set(canonicalHeader(v.Algorithm.Header()), s)
}

// setSSE adds the SSE-C headers of an encrypted object.
func setSSE(resp *Response, k *s3req.SSECustomerKey) {
	if k == nil {
		return
	}
	resp.set("X-Amz-Server-Side-Encryption-Customer-Algorithm", s3req.SSEAlgorithm)
	resp.set("X-Amz-Server-Side-Encryption-Customer-Key-Md5", k.KeyMD5Base64())
}
