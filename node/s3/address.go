package s3

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Locate finds the bucket and key a request addresses: virtual-host
// style when host (port aside) is "<bucket><rootDomain>", the whole
// escaped path rawPath then being the key; path style otherwise, the
// first segment of the path being the bucket and the rest the key. Both
// are decoded once. rootDomain is the [s3_api] root_domain, with its
// leading dot, or "" for path style only.
func Locate(host, rawPath, rootDomain string) (bucket, key string, err error) {
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return "", "", s3err.New(s3err.InvalidURI, "Couldn't parse the specified URI.")
	}
	path = strings.TrimPrefix(path, "/")
	if b, ok := VirtualHost(host, rootDomain); ok {
		return b, path, nil
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key, nil
}

// VirtualHost returns the bucket a host name addresses under rootDomain
// (".s3.example.com": "b.s3.example.com" → "b"), ignoring any port and
// the case of the domain.
func VirtualHost(host, rootDomain string) (string, bool) {
	if rootDomain == "" {
		return "", false
	}
	h := stripPort(strings.ToLower(host))
	if !strings.HasPrefix(rootDomain, ".") {
		rootDomain = "." + rootDomain
	}
	b, ok := strings.CutSuffix(h, strings.ToLower(rootDomain))
	return b, ok && b != ""
}

// stripPort removes a trailing :port from a host (IPv6 literals keep
// their brackets).
func stripPort(host string) string {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return host
	}
	if _, err := strconv.Atoi(host[i+1:]); err != nil {
		return host
	}
	return host[:i]
}
