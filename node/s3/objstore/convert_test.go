package objstore

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
)

func TestMetaRoundTrip(t *testing.T) {
	metas := []s3.ObjectMeta{
		{Size: 10, ETag: `"abc"`},
		{Size: 5 << 20, ETag: `"abc-2"`, PartCount: 2,
			Headers:  []s3.Header{{Name: "Content-Type", Value: "text/plain"}, {Name: "Cache-Control", Value: "no-cache"}},
			UserMeta: []s3req.Meta{{Name: "color", Value: "blue"}},
			Checksum: checksum.Compute(checksum.CRC32C, []byte("x")), SSE: &s3.SSEInfo{KeyMD5: [16]byte{1, 2}}},
	}
	for _, m := range metas {
		if got := fromModel(toModel(m)); !reflect.DeepEqual(got, m) {
			t.Errorf("round trip of %+v: got %+v", m, got)
		}
	}
}

func TestMapErr(t *testing.T) {
	cases := []struct {
		err  error
		want error
		code s3err.Code
	}{
		{object.ErrNoSuchKey, s3.ErrNoSuchKey, ""},
		{object.ErrPartTooSmall, s3.ErrPartTooSmall, ""},
		{object.ErrQuotaExceeded, s3.ErrQuotaExceeded, ""},
		{object.ErrInvalidOrder, nil, s3err.InvalidPartOrder},
	}
	for _, c := range cases {
		got := mapErr(c.err)
		if c.want != nil && !errors.Is(got, c.want) {
			t.Errorf("mapErr(%v) = %v, want it to wrap %v", c.err, got, c.want)
		}
		if c.code != "" && !s3err.Is(got, c.code) {
			t.Errorf("mapErr(%v) = %v, want code %s", c.err, got, c.code)
		}
	}
}
