package s3

import (
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// Request is an S3 request as the HTTP adapter hands it over: what SigV4
// covers (method, escaped path, raw query, host, headers in the canonical
// form net/http uses), the body, and where the router found the bucket
// and key.
type Request struct {
	sigv4.Request
	// Bucket and Key are decoded; Bucket is "" for the service (ListBuckets),
	// Key "" for bucket operations.
	Bucket, Key string
	// ContentLength is the declared length of the body, -1 if unknown.
	ContentLength int64
	Body          io.Reader
	// Query is RawQuery parsed.
	Query url.Values
}

// NewRequest returns the request of method on the escaped path rawPath
// with query rawQuery, sent to host, with header (canonical keys) and
// body, addressed to bucket and key.
func NewRequest(r sigv4.Request, bucket, key string, length int64, body io.Reader) (*Request, error) {
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		return nil, s3err.New(s3err.InvalidArgument, "malformed query string")
	}
	if body == nil {
		body = strings.NewReader("")
	}
	return &Request{Request: r, Bucket: bucket, Key: key, ContentLength: length, Body: body, Query: q}, nil
}

// resource names the request's target in error bodies.
func (r *Request) resource() string {
	switch {
	case r.Bucket == "":
		return "/"
	case r.Key == "":
		return "/" + r.Bucket
	}
	return "/" + r.Bucket + "/" + r.Key
}

// Response is what the service answers: a status, headers (canonical
// names) and a body of Length bytes (-1 if unknown). The HTTP adapter
// writes it and then calls Close, if set.
type Response struct {
	Status int
	Header map[string][]string
	Body   io.Reader
	Length int64
	Close  func()
}

// newResponse returns an empty response with status.
func newResponse(status int) *Response {
	return &Response{Status: status, Header: map[string][]string{}}
}

// set sets header name (canonical form) to v.
func (r *Response) set(name, v string) { r.Header[name] = []string{v} }

// add adds v to header name (canonical form).
func (r *Response) add(name, v string) { r.Header[name] = append(r.Header[name], v) }

// get returns the first value of header name.
func (r *Response) get(name string) string {
	if v := r.Header[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// withBody sets a body of bytes b.
func (r *Response) withBody(b []byte, contentType string) *Response {
	r.Body, r.Length = strings.NewReader(string(b)), int64(len(b))
	if contentType != "" {
		r.set("Content-Type", contentType)
	}
	r.set("Content-Length", strconv.Itoa(len(b)))
	return r
}

// xmlResponse returns a 200 response whose body is the document v.
func xmlResponse(v any) *Response {
	return newResponse(200).withBody(xmlMarshal(v), "application/xml")
}

// HeaderErrorCode names the S3 error code of an error response. A HEAD
// response has no body to carry it, and a 404 may then mean NoSuchKey as
// well as NoSuchBucket: this header tells them apart.
const HeaderErrorCode = "X-Amz-Error-Code"

// errorResponse returns the response of err for a request whose id is
// requestID: its status, its code in HeaderErrorCode, and its XML body
// (none for HEAD).
func errorResponse(e *s3err.Error, method, requestID string) *Response {
	r := newResponse(e.Status())
	r.set(HeaderErrorCode, string(e.Code))
	if method == "HEAD" {
		r.set("Content-Length", "0")
		return r
	}
	return r.withBody(e.Body(requestID), "application/xml")
}
