package sigv4

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// URIEncode percent-encodes s the way SigV4 does: every byte but the
// unreserved characters A-Z a-z 0-9 - _ . ~ becomes %XX with upper-case
// hex, and '/' is kept as is when keepSlash is set.
func URIEncode(s string, keepSlash bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// isUnreserved reports whether c is left alone by URIEncode.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalURI returns the canonical URI of an S3 request whose escaped
// path is rawPath: the path is decoded once and encoded once with
// URIEncode, keeping the slashes (S3 does not double-encode).
func CanonicalURI(rawPath string) (string, error) {
	p, err := url.PathUnescape(rawPath)
	if err != nil {
		return "", fmt.Errorf("decode path %q: %w", rawPath, err)
	}
	if p == "" {
		return "/", nil
	}
	return URIEncode(p, true), nil
}

// queryParam is one decoded name=value pair of a query string.
type queryParam struct {
	name, value string
}

// CanonicalQuery returns the canonical query string of rawQuery: each
// name=value pair decoded (a '+' is a space) and re-encoded with
// URIEncode, sorted by name then value, joined by '&'. Parameters named
// in skip (exactly) are left out: a presigned request's X-Amz-Signature.
func CanonicalQuery(rawQuery string, skip ...string) (string, error) {
	params, err := parseQuery(rawQuery)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(params))
	for _, p := range params {
		if !slices.Contains(skip, p.name) {
			parts = append(parts, URIEncode(p.name, false)+"="+URIEncode(p.value, false))
		}
	}
	slices.SortFunc(parts, compareParam)
	return strings.Join(parts, "&"), nil
}

// compareParam orders encoded "name=value" pairs by name, then value.
func compareParam(a, b string) int {
	an, av, _ := strings.Cut(a, "=")
	bn, bv, _ := strings.Cut(b, "=")
	if c := strings.Compare(an, bn); c != 0 {
		return c
	}
	return strings.Compare(av, bv)
}

// parseQuery decodes rawQuery into its pairs, in order. Empty segments
// ("a=1&&b") are skipped; a segment without '=' has an empty value.
func parseQuery(rawQuery string) ([]queryParam, error) {
	var out []queryParam
	for seg := range strings.SplitSeq(rawQuery, "&") {
		if seg == "" {
			continue
		}
		n, v, _ := strings.Cut(seg, "=")
		name, err := url.QueryUnescape(n)
		if err != nil {
			return nil, fmt.Errorf("decode query name %q: %w", n, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("decode query value %q: %w", v, err)
		}
		out = append(out, queryParam{name, value})
	}
	return out, nil
}

// queryGet returns the first value of the parameter called name and
// whether it is present.
func queryGet(params []queryParam, name string) (string, bool) {
	for _, p := range params {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// trimAll trims the spaces and tabs around v and collapses each inner run
// of spaces into one, as canonical header values require.
func trimAll(v string) string {
	v = strings.Trim(v, " \t")
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
