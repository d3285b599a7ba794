package s3req

import (
	"net/url"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Override is a response header set by a response-* query parameter.
type Override struct {
	Header, Value string
}

// responseParam is a response-* parameter and the header it sets.
type responseParam struct {
	header, param string
}

// responseParams lists the response-* parameters in the order they are
// applied.
func responseParams() []responseParam {
	return []responseParam{
		{"Cache-Control", "response-cache-control"},
		{"Content-Disposition", "response-content-disposition"},
		{"Content-Encoding", "response-content-encoding"},
		{"Content-Language", "response-content-language"},
		{"Content-Type", "response-content-type"},
		{"Expires", "response-expires"},
	}
}

// ResponseOverrides returns the headers a GET's response-* parameters
// override, in a fixed order. S3 refuses them on anonymous requests
// (InvalidRequest).
func ResponseOverrides(q url.Values, anonymous bool) ([]Override, error) {
	var out []Override
	for _, p := range responseParams() {
		if vs := q[p.param]; len(vs) > 0 {
			out = append(out, Override{Header: p.header, Value: vs[0]})
		}
	}
	if anonymous && len(out) > 0 {
		return nil, s3err.New(s3err.InvalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
	}
	return out, nil
}
