package s3req

import (
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// lookup returns a header getter over name/value pairs.
func lookup(kv ...string) func(string) string {
	return func(name string) string {
		for i := 0; i < len(kv); i += 2 {
			if kv[i] == name {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestConditions(t *testing.T) {
	lm := time.Date(2024, 5, 1, 10, 0, 0, 500, time.UTC)
	before, at, after := "Wed, 01 May 2024 09:00:00 GMT", "Wed, 01 May 2024 10:00:00 GMT", "Wed, 01 May 2024 11:00:00 GMT"
	const etag = `"abc"`
	tests := []struct {
		name string
		h    []string
		want s3err.Code
	}{
		{"none", nil, ""},
		{"if-match hit", []string{"If-Match", `"abc"`}, ""},
		{"if-match unquoted", []string{"If-Match", `abc`}, ""},
		{"if-match list", []string{"If-Match", `"x", W/"abc"`}, ""},
		{"if-match star", []string{"If-Match", `*`}, ""},
		{"if-match miss", []string{"If-Match", `"x"`}, s3err.PreconditionFailed},
		{"if-none-match hit", []string{"If-None-Match", `"abc"`}, s3err.NotModified},
		{"if-none-match star", []string{"If-None-Match", `*`}, s3err.NotModified},
		{"if-none-match miss", []string{"If-None-Match", `"x"`}, ""},
		{"modified since before", []string{"If-Modified-Since", before}, ""},
		{"modified since at", []string{"If-Modified-Since", at}, s3err.NotModified},
		{"modified since after", []string{"If-Modified-Since", after}, s3err.NotModified},
		{"unmodified since before", []string{"If-Unmodified-Since", before}, s3err.PreconditionFailed},
		{"unmodified since at", []string{"If-Unmodified-Since", at}, ""},
		{"bad date ignored", []string{"If-Unmodified-Since", "yesterday"}, ""},
		{"rfc850 date", []string{"If-Unmodified-Since", "Wednesday, 01-May-24 09:00:00 GMT"}, s3err.PreconditionFailed},
		{"asctime date", []string{"If-Unmodified-Since", "Wed May  1 09:00:00 2024"}, s3err.PreconditionFailed},
		// If-Match true wins over a failing If-Unmodified-Since.
		{"match overrides unmodified", []string{"If-Match", etag, "If-Unmodified-Since", before}, ""},
		// If-None-Match false (no match) wins over If-Modified-Since.
		{"none-match overrides modified", []string{"If-None-Match", `"x"`, "If-Modified-Since", after}, ""},
		{"none-match hit with modified", []string{"If-None-Match", etag, "If-Modified-Since", before}, s3err.NotModified},
		{"412 before 304", []string{"If-Match", `"x"`, "If-None-Match", etag}, s3err.PreconditionFailed},
	}
	for _, tt := range tests {
		err := ParseConditions(lookup(tt.h...)).Check(etag, lm)
		if tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestCopySourceConditions(t *testing.T) {
	lm := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    []string
		want s3err.Code
	}{
		{"match", []string{"X-Amz-Copy-Source-If-Match", `"e"`}, ""},
		{"match miss", []string{"X-Amz-Copy-Source-If-Match", `"x"`}, s3err.PreconditionFailed},
		{"none-match hit", []string{"X-Amz-Copy-Source-If-None-Match", `"e"`}, s3err.PreconditionFailed},
		{"not modified", []string{"X-Amz-Copy-Source-If-Modified-Since", "Thu, 02 May 2024 00:00:00 GMT"}, s3err.PreconditionFailed},
		{"plain headers ignored", []string{"If-Match", `"x"`}, ""},
	}
	for _, tt := range tests {
		err := ParseCopySourceConditions(lookup(tt.h...)).Check("e", lm)
		if tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
