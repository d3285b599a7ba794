package s3req

import (
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Range is a satisfiable byte range of an object: Length bytes from
// Start.
type Range struct {
	Start, Length int64
}

// End returns the offset of the range's last byte.
func (r Range) End() int64 { return r.Start + r.Length - 1 }

// ContentRange returns the Content-Range header of the range within an
// object of size bytes.
func (r Range) ContentRange(size int64) string {
	return "bytes " + strconv.FormatInt(r.Start, 10) + "-" + strconv.FormatInt(r.End(), 10) + "/" + strconv.FormatInt(size, 10)
}

// ParseRange interprets a Range header for an object of size bytes. It
// returns ok=false when the whole object is to be sent: no header, a
// header that is not a single well-formed byte range (S3 ignores those,
// multiple ranges included). A well-formed range that selects no byte of
// the object is an InvalidRange error. The end of a range past the object
// is clamped; a suffix longer than the object selects all of it.
func ParseRange(header string, size int64) (Range, bool, error) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return Range{}, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return Range{}, false, nil
	}
	if first == "" {
		return suffixRange(header, last, size)
	}
	return spanRange(header, first, last, size)
}

// suffixRange interprets "bytes=-n": the last n bytes.
func suffixRange(header, last string, size int64) (Range, bool, error) {
	n, ok := parseOffset(last)
	if !ok {
		return Range{}, false, nil
	}
	if n == 0 || size == 0 {
		return Range{}, false, unsatisfiable(header, size)
	}
	n = min(n, size)
	return Range{Start: size - n, Length: n}, true, nil
}

// spanRange interprets "bytes=a-b" and "bytes=a-".
func spanRange(header, first, last string, size int64) (Range, bool, error) {
	start, ok := parseOffset(first)
	if !ok {
		return Range{}, false, nil
	}
	end := size - 1
	if last != "" {
		if end, ok = parseOffset(last); !ok || end < start {
			return Range{}, false, nil
		}
	}
	if start >= size {
		return Range{}, false, unsatisfiable(header, size)
	}
	end = min(end, size-1)
	return Range{Start: start, Length: end - start + 1}, true, nil
}

// parseOffset parses a non-negative decimal offset (digits only).
func parseOffset(s string) (int64, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// unsatisfiable returns the InvalidRange error of header against size.
func unsatisfiable(header string, size int64) error {
	return s3err.New(s3err.InvalidRange, "").
		With("RangeRequested", header).
		With("ActualObjectSize", strconv.FormatInt(size, 10))
}

// ParseCopySourceRange parses x-amz-copy-source-range ("bytes=a-b", both
// offsets required) for a source of size bytes. Errors: InvalidArgument
// for a malformed value, InvalidRange for a range outside the source.
func ParseCopySourceRange(v string, size int64) (Range, error) {
	spec, ok := strings.CutPrefix(v, "bytes=")
	first, last, ok2 := strings.Cut(spec, "-")
	start, ok3 := parseOffset(first)
	end, ok4 := parseOffset(last)
	if !ok || !ok2 || !ok3 || !ok4 || end < start {
		return Range{}, s3err.New(s3err.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
	}
	if end >= size {
		return Range{}, s3err.New(s3err.InvalidRange, "Range specified is not valid for source object of size: %d", size)
	}
	return Range{Start: start, Length: end - start + 1}, nil
}
