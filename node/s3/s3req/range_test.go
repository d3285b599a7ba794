package s3req

import (
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		header string
		size   int64
		want   Range
		ok     bool
		code   s3err.Code
	}{
		{"", 10, Range{}, false, ""},
		{"bytes=0-9", 10, Range{0, 10}, true, ""},
		{"bytes=0-0", 10, Range{0, 1}, true, ""},
		{"bytes=2-4", 10, Range{2, 3}, true, ""},
		{"bytes=5-", 10, Range{5, 5}, true, ""},
		{"bytes=5-100", 10, Range{5, 5}, true, ""},
		{"bytes=-3", 10, Range{7, 3}, true, ""},
		{"bytes=-30", 10, Range{0, 10}, true, ""},
		{"bytes=9-9", 10, Range{9, 1}, true, ""},
		{" bytes=1-2 ", 10, Range{1, 2}, true, ""},
		{"bytes=10-", 10, Range{}, false, s3err.InvalidRange},
		{"bytes=10-20", 10, Range{}, false, s3err.InvalidRange},
		{"bytes=-0", 10, Range{}, false, s3err.InvalidRange},
		{"bytes=0-", 0, Range{}, false, s3err.InvalidRange},
		{"bytes=-5", 0, Range{}, false, s3err.InvalidRange},
		{"bytes=0-1,3-4", 10, Range{}, false, ""},
		{"bytes=5-2", 10, Range{}, false, ""},
		{"bytes=a-b", 10, Range{}, false, ""},
		{"bytes=+1-2", 10, Range{}, false, ""},
		{"bytes=-", 10, Range{}, false, ""},
		{"bytes=1", 10, Range{}, false, ""},
		{"items=0-1", 10, Range{}, false, ""},
		{"bytes=99999999999999999999-", 10, Range{}, false, ""},
	}
	for _, tt := range tests {
		got, ok, err := ParseRange(tt.header, tt.size)
		if got != tt.want || ok != tt.ok || tt.code == "" && err != nil || tt.code != "" && !s3err.Is(err, tt.code) {
			t.Errorf("ParseRange(%q, %d) = %+v, %v, %v; want %+v, %v, %q", tt.header, tt.size, got, ok, err, tt.want, tt.ok, tt.code)
		}
	}
}

func TestContentRange(t *testing.T) {
	if got := (Range{2, 3}).ContentRange(10); got != "bytes 2-4/10" {
		t.Errorf("ContentRange = %s", got)
	}
}

func TestParseCopySourceRange(t *testing.T) {
	tests := []struct {
		v    string
		size int64
		want Range
		code s3err.Code
	}{
		{"bytes=0-9", 10, Range{0, 10}, ""},
		{"bytes=3-3", 10, Range{3, 1}, ""},
		{"bytes=0-10", 10, Range{}, s3err.InvalidRange},
		{"bytes=5-", 10, Range{}, s3err.InvalidArgument},
		{"bytes=-5", 10, Range{}, s3err.InvalidArgument},
		{"bytes=5-4", 10, Range{}, s3err.InvalidArgument},
		{"0-4", 10, Range{}, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		got, err := ParseCopySourceRange(tt.v, tt.size)
		if got != tt.want || tt.code == "" && err != nil || tt.code != "" && !s3err.Is(err, tt.code) {
			t.Errorf("ParseCopySourceRange(%q) = %+v, %v; want %+v, %q", tt.v, got, err, tt.want, tt.code)
		}
	}
}
