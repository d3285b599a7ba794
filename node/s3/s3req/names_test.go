package s3req

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

func TestValidateBucketName(t *testing.T) {
	good := []string{"abc", "my-bucket", "my.bucket.1", "1bucket", strings.Repeat("a", 63), "192.168.1.1a"}
	bad := []string{"", "ab", strings.Repeat("a", 64), "MyBucket", "my_bucket", "-bucket", "bucket-", ".bucket", "bucket.",
		"my..bucket", "192.168.1.1", "xn--bucket", "sthree-bucket", "bucket-s3alias", "bucket--ol-s3", "b.mrap", "b--x-s3", "a b c", "é-bucket"}
	for _, n := range good {
		if err := ValidateBucketName(n); err != nil {
			t.Errorf("ValidateBucketName(%q) = %v", n, err)
		}
	}
	for _, n := range bad {
		if err := ValidateBucketName(n); !s3err.Is(err, s3err.InvalidBucketName) {
			t.Errorf("ValidateBucketName(%q) = %v, want InvalidBucketName", n, err)
		}
	}
}

func TestValidateKey(t *testing.T) {
	tests := []struct {
		key  string
		want s3err.Code
	}{
		{"a", ""}, {"a/b c/é😀", ""}, {strings.Repeat("x", 1024), ""}, {strings.Repeat("é", 512), ""},
		{strings.Repeat("x", 1025), s3err.KeyTooLongError}, {strings.Repeat("é", 513), s3err.KeyTooLongError},
		{"", s3err.InvalidArgument}, {"bad\xff", s3err.InvalidArgument},
	}
	for _, tt := range tests {
		err := ValidateKey(tt.key)
		if tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("ValidateKey(%.20q) = %v, want %q", tt.key, err, tt.want)
		}
	}
}

func TestUserMetadata(t *testing.T) {
	h := map[string][]string{
		"X-Amz-Meta-Zeta":  {"last"},
		"X-Amz-Meta-Alpha": {"a", "b"},
		"x-amz-meta-alpha": {"c"},
		"X-Amz-Meta-":      {"no name"},
		"Content-Type":     {"text/plain"},
		"X-Amz-Date":       {"x"},
	}
	got, err := UserMetadata(h)
	want := []Meta{{"alpha", "a,b,c"}, {"zeta", "last"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("UserMetadata = %v, %v; want %v", got, err, want)
	}
	if got[0].Header() != "x-amz-meta-alpha" {
		t.Errorf("Header() = %s", got[0].Header())
	}
	fits := map[string][]string{"X-Amz-Meta-K": {strings.Repeat("v", 2047)}}
	if _, err := UserMetadata(fits); err != nil {
		t.Errorf("2048 bytes of metadata: %v", err)
	}
	fits["X-Amz-Meta-K"][0] += "v"
	if _, err := UserMetadata(fits); !s3err.Is(err, s3err.MetadataTooLarge) {
		t.Errorf("2049 bytes of metadata: %v", err)
	}
}

func TestParseCopySource(t *testing.T) {
	tests := []struct {
		v    string
		want CopySource
		code s3err.Code
	}{
		{"b/k", CopySource{"b", "k"}, ""},
		{"/b/dir/k", CopySource{"b", "dir/k"}, ""},
		{"/b/a%20b%3Fc%2Bd", CopySource{"b", "a b?c+d"}, ""},
		{"/b/%C3%A9+x", CopySource{"b", "é+x"}, ""},
		{"/b/k?versionId=null", CopySource{"b", "k"}, ""},
		{"/b/k?versionId=3", CopySource{}, s3err.InvalidArgument},
		{"/b/k?other=1", CopySource{}, s3err.InvalidArgument},
		{"/b", CopySource{}, s3err.InvalidArgument},
		{"/b/", CopySource{}, s3err.InvalidArgument},
		{"", CopySource{}, s3err.InvalidArgument},
		{"/b/%zz", CopySource{}, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		got, err := ParseCopySource(tt.v)
		if got != tt.want || tt.code == "" && err != nil || tt.code != "" && !s3err.Is(err, tt.code) {
			t.Errorf("ParseCopySource(%q) = %+v, %v; want %+v, %q", tt.v, got, err, tt.want, tt.code)
		}
	}
}

func TestResponseOverrides(t *testing.T) {
	q := url.Values{"response-content-type": {"text/html"}, "response-expires": {"never"}, "other": {"x"}}
	got, err := ResponseOverrides(q, false)
	want := []Override{{"Content-Type", "text/html"}, {"Expires", "never"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ResponseOverrides = %v, %v; want %v", got, err, want)
	}
	if _, err := ResponseOverrides(q, true); !s3err.Is(err, s3err.InvalidRequest) {
		t.Errorf("anonymous overrides: %v", err)
	}
	if got, err := ResponseOverrides(url.Values{"other": {"x"}}, true); err != nil || got != nil {
		t.Errorf("anonymous without overrides: %v, %v", got, err)
	}
}

func TestParseListParams(t *testing.T) {
	q, _ := url.ParseQuery("prefix=a%20b&delimiter=/&max-keys=5000&encoding-type=url&fetch-owner=true&continuation-token=t&start-after=s")
	got, err := ParseListParams(q, "max-keys")
	want := ListParams{Prefix: "a b", Delimiter: "/", MaxKeys: 1000, URLEncode: true, FetchOwner: true, ContinuationToken: "t", StartAfter: "s"}
	if err != nil || got != want {
		t.Errorf("ParseListParams = %+v, %v; want %+v", got, err, want)
	}
	if got, _ := ParseListParams(url.Values{}, "max-keys"); got.MaxKeys != 1000 {
		t.Errorf("default max-keys %d", got.MaxKeys)
	}
	for _, raw := range []string{"max-keys=-1", "max-keys=x", "encoding-type=base64", "fetch-owner=maybe"} {
		q, _ := url.ParseQuery(raw)
		if _, err := ParseListParams(q, "max-keys"); !s3err.Is(err, s3err.InvalidArgument) {
			t.Errorf("ParseListParams(%s) = %v", raw, err)
		}
	}
	lp, err := ParseListPartsParams(url.Values{"max-parts": {"10"}, "part-number-marker": {"3"}})
	if err != nil || lp != (ListPartsParams{10, 3}) {
		t.Errorf("ParseListPartsParams = %+v, %v", lp, err)
	}
	for _, v := range []string{"0", "10001", "x", ""} {
		if _, err := ParsePartNumber(v); !s3err.Is(err, s3err.InvalidArgument) {
			t.Errorf("ParsePartNumber(%q) = %v", v, err)
		}
	}
	if n, err := ParsePartNumber("10000"); n != 10000 || err != nil {
		t.Errorf("ParsePartNumber(10000) = %d, %v", n, err)
	}
}
