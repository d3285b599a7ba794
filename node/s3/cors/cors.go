package cors

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// Request is what CORS matching looks at: the Origin header, the method
// (for a preflight, Access-Control-Request-Method) and the requested
// headers (for a preflight, Access-Control-Request-Headers).
type Request struct {
	Origin  string
	Method  string
	Headers []string
}

// Header is one response header.
type Header struct {
	Name, Value string
}

// Match returns the first rule allowing r, or nil.
func Match(rules []s3xml.CORSRule, r Request) *s3xml.CORSRule {
	for i := range rules {
		if allows(rules[i], r) {
			return &rules[i]
		}
	}
	return nil
}

// allows reports whether rule allows r's origin, method and every
// requested header.
func allows(rule s3xml.CORSRule, r Request) bool {
	if !slices.Contains(rule.AllowedMethods, r.Method) {
		return false
	}
	if !slices.ContainsFunc(rule.AllowedOrigins, func(p string) bool { return wildcardMatch(p, r.Origin) }) {
		return false
	}
	for _, h := range r.Headers {
		if !slices.ContainsFunc(rule.AllowedHeaders, func(p string) bool { return wildcardMatch(strings.ToLower(p), strings.ToLower(h)) }) {
			return false
		}
	}
	return true
}

// wildcardMatch reports whether s matches pattern, whose one optional '*'
// stands for any run of characters.
func wildcardMatch(pattern, s string) bool {
	prefix, suffix, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix)
}

// ParseRequestHeaders splits an Access-Control-Request-Headers value into
// lower-case header names.
func ParseRequestHeaders(v string) []string {
	var out []string
	for h := range strings.SplitSeq(v, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// Preflight answers an OPTIONS request: the headers of the first rule
// allowing it, or AccessDenied as S3 sends (also when the bucket has no
// CORS rules, or the request lacks Origin or
// Access-Control-Request-Method).
func Preflight(rules []s3xml.CORSRule, r Request) ([]Header, error) {
	if r.Origin == "" || r.Method == "" {
		return nil, s3err.New(s3err.AccessDenied, "CORSResponse: Insufficient information. Origin request header needed.")
	}
	rule := Match(rules, r)
	if rule == nil {
		return nil, s3err.New(s3err.AccessDenied, "CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
	}
	hs := ResponseHeaders(*rule, r.Origin)
	if len(r.Headers) > 0 {
		hs = append(hs, Header{"Access-Control-Allow-Headers", strings.Join(r.Headers, ", ")})
	}
	return append(hs, Header{"Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"}), nil
}

// Actual returns the CORS headers of a non-preflight request with an
// Origin header, or nil when no rule allows it (S3 then answers without
// CORS headers).
func Actual(rules []s3xml.CORSRule, r Request) []Header {
	if r.Origin == "" {
		return nil
	}
	rule := Match(rules, Request{Origin: r.Origin, Method: r.Method})
	if rule == nil {
		return nil
	}
	return append(ResponseHeaders(*rule, r.Origin), Header{"Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"})
}

// ResponseHeaders returns the Access-Control-* headers granted by rule to
// origin: the origin ("*" when the rule allows any origin, with no
// credentials), the methods, the exposed headers and the max age.
func ResponseHeaders(rule s3xml.CORSRule, origin string) []Header {
	var hs []Header
	if slices.Contains(rule.AllowedOrigins, "*") {
		hs = append(hs, Header{"Access-Control-Allow-Origin", "*"})
	} else {
		hs = append(hs, Header{"Access-Control-Allow-Origin", origin}, Header{"Access-Control-Allow-Credentials", "true"})
	}
	hs = append(hs, Header{"Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", ")})
	if len(rule.ExposeHeaders) > 0 {
		hs = append(hs, Header{"Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", ")})
	}
	if rule.MaxAgeSeconds != nil {
		hs = append(hs, Header{"Access-Control-Max-Age", strconv.Itoa(*rule.MaxAgeSeconds)})
	}
	return hs
}
