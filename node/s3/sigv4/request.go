package sigv4

import (
	"strings"
)

// Request is the part of an HTTP request that SigV4 covers. The HTTP
// adapter fills it from a *http.Request: RawPath is URL.EscapedPath(),
// RawQuery is URL.RawQuery, Host is the request's Host, and Header holds
// every received header (including Content-Length) keyed in the canonical
// MIME form net/http uses.
type Request struct {
	Method   string
	RawPath  string
	RawQuery string
	Host     string
	Header   map[string][]string
}

// Values returns the values of the header called name (any case).
func (r Request) Values(name string) []string {
	return r.Header[canonicalKey(name)]
}

// Get returns the first value of the header called name, or "".
func (r Request) Get(name string) string {
	if v := r.Values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether the header called name is present.
func (r Request) Has(name string) bool {
	_, ok := r.Header[canonicalKey(name)]
	return ok
}

// canonicalKey returns name in the canonical MIME header form
// ("x-amz-date" → "X-Amz-Date") net/http keys its headers by, or name
// unchanged when it holds a byte that is not a header token character.
func canonicalKey(name string) string {
	b := []byte(name)
	upper := true
	for i, c := range b {
		if !isTokenByte(c) {
			return name
		}
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return string(b)
}

// isTokenByte reports whether c may appear in an HTTP header name.
func isTokenByte(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
