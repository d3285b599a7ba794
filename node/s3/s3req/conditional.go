package s3req

import (
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Conditions are the preconditions of a request on an object's ETag and
// modification time. Empty strings and nil times are absent headers.
type Conditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   *time.Time
	IfUnmodifiedSince *time.Time
	// Copy marks the conditions of a copy source, whose failures are all
	// PreconditionFailed (never NotModified).
	Copy bool
}

// ParseConditions reads If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since through get. Dates that do not parse are ignored,
// as HTTP requires.
func ParseConditions(get func(string) string) Conditions {
	return conditions(get, "")
}

// ParseCopySourceConditions reads the x-amz-copy-source-if-* headers.
func ParseCopySourceConditions(get func(string) string) Conditions {
	c := conditions(get, "X-Amz-Copy-Source-")
	c.Copy = true
	return c
}

// conditions reads the four headers with the given name prefix.
func conditions(get func(string) string, prefix string) Conditions {
	return Conditions{
		IfMatch:           get(prefix + "If-Match"),
		IfNoneMatch:       get(prefix + "If-None-Match"),
		IfModifiedSince:   parseHTTPDate(get(prefix + "If-Modified-Since")),
		IfUnmodifiedSince: parseHTTPDate(get(prefix + "If-Unmodified-Since")),
	}
}

// parseHTTPDate parses the three HTTP date formats, or returns nil.
func parseHTTPDate(s string) *time.Time {
	for _, layout := range []string{time.RFC1123, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// Check evaluates the conditions against an object's ETag (quoted or
// not) and modification time, with the precedence of RFC 9110 that S3
// follows: If-Match, else If-Unmodified-Since, decide 412; then
// If-None-Match, else If-Modified-Since, decide 304 (412 for a copy
// source). It returns nil when the request proceeds, otherwise a
// PreconditionFailed or NotModified error.
func (c Conditions) Check(etag string, lastModified time.Time) error {
	lm := lastModified.UTC().Truncate(time.Second)
	if c.IfMatch != "" {
		if !etagListMatches(c.IfMatch, etag) {
			return c.failed("If-Match")
		}
	} else if c.IfUnmodifiedSince != nil && lm.After(*c.IfUnmodifiedSince) {
		return c.failed("If-Unmodified-Since")
	}
	if c.IfNoneMatch != "" {
		if etagListMatches(c.IfNoneMatch, etag) {
			return c.notModified("If-None-Match")
		}
	} else if c.IfModifiedSince != nil && !lm.After(*c.IfModifiedSince) {
		return c.notModified("If-Modified-Since")
	}
	return nil
}

// failed returns the PreconditionFailed error naming the condition.
func (c Conditions) failed(header string) error {
	if c.Copy {
		header = "x-amz-copy-source-" + strings.ToLower(header)
	}
	return s3err.New(s3err.PreconditionFailed, "").With("Condition", header)
}

// notModified returns NotModified, or PreconditionFailed for a copy
// source.
func (c Conditions) notModified(header string) error {
	if c.Copy {
		return c.failed(header)
	}
	return s3err.New(s3err.NotModified, "")
}

// etagListMatches reports whether a comma-separated list of entity tags
// (or "*") names etag, comparing weakly (W/ and quotes ignored).
func etagListMatches(list, etag string) bool {
	want := bareETag(etag)
	for e := range strings.SplitSeq(list, ",") {
		e = strings.TrimSpace(e)
		if e == "*" || bareETag(e) == want {
			return true
		}
	}
	return false
}

// bareETag strips the weak prefix and the quotes of an entity tag.
func bareETag(e string) string {
	e = strings.TrimPrefix(e, "W/")
	return strings.TrimSuffix(strings.TrimPrefix(e, `"`), `"`)
}
