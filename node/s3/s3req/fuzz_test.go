package s3req

import (
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

func FuzzParseRange(f *testing.F) {
	f.Add("bytes=0-9", int64(10))
	f.Add("bytes=-5", int64(3))
	f.Fuzz(func(t *testing.T, header string, size int64) {
		if size < 0 {
			size = -size
		}
		if size < 0 {
			return
		}
		r, ok, err := ParseRange(header, size)
		switch {
		case err != nil && !s3err.Is(err, s3err.InvalidRange):
			t.Fatalf("ParseRange(%q, %d): %v", header, size, err)
		case err != nil && ok:
			t.Fatalf("ParseRange(%q, %d): ok with error %v", header, size, err)
		case ok && (r.Start < 0 || r.Length < 1 || r.End() >= size):
			t.Fatalf("ParseRange(%q, %d) = %+v, outside the object", header, size, r)
		}
	})
}
