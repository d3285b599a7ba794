package sigv4

import (
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

const sig64 = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"

func TestParseAuthorization(t *testing.T) {
	good := "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig64
	got, err := ParseAuthorization(good)
	if err != nil {
		t.Fatal(err)
	}
	want := Auth{AccessKeyID: "AK", Scope: Scope{"20130524", "us-east-1", "s3"}, SignedHeaders: []string{"host", "x-amz-date"}, Signature: sig64}
	if got.AccessKeyID != want.AccessKeyID || got.Scope != want.Scope || !slices.Equal(got.SignedHeaders, want.SignedHeaders) || got.Signature != want.Signature {
		t.Errorf("ParseAuthorization = %+v, want %+v", got, want)
	}
	tests := []struct {
		name, value string
		want        s3err.Code
	}{
		{"no spaces", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request,SignedHeaders=host,Signature=" + sig64, ""},
		{"reordered", "AWS4-HMAC-SHA256 Signature=" + sig64 + ", Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host", ""},
		{"slash in key", "AWS4-HMAC-SHA256 Credential=A/K/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64, ""},
		{"sigv2", "AWS AK:c2lnbmF0dXJl", s3err.InvalidRequest},
		{"empty", "", s3err.InvalidRequest},
		{"other algorithm", "AWS4-ECDSA-P256-SHA256 Credential=x", s3err.InvalidRequest},
		{"missing signature", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host", s3err.AuthorizationHeaderMalformed},
		{"unknown component", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64 + ", Foo=bar", s3err.AuthorizationHeaderMalformed},
		{"duplicate", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"short credential", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"bad terminator", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws5_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"bad date", "AWS4-HMAC-SHA256 Credential=AK/2013052/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"impossible date", "AWS4-HMAC-SHA256 Credential=AK/20130231/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"empty key", "AWS4-HMAC-SHA256 Credential=/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"empty region", "AWS4-HMAC-SHA256 Credential=AK/20130524//s3/aws4_request, SignedHeaders=host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"upper-case header", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=Host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"empty header", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host;;x, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"repeated header", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host;host, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"header with space", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=ho st, Signature=" + sig64, s3err.AuthorizationHeaderMalformed},
		{"short signature", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=abc", s3err.AuthorizationHeaderMalformed},
		{"non-hex signature", "AWS4-HMAC-SHA256 Credential=AK/20130524/r/s3/aws4_request, SignedHeaders=host, Signature=" + sig64[:63] + "g", s3err.AuthorizationHeaderMalformed},
		{"no equals", "AWS4-HMAC-SHA256 Credential", s3err.AuthorizationHeaderMalformed},
	}
	for _, tt := range tests {
		_, err := ParseAuthorization(tt.value)
		if tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParsePresigned(t *testing.T) {
	base := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig64
	got, err := ParsePresigned(base + "&X-Amz-Expires=86400&X-Amz-Security-Token=tok&acl")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Presigned || got.Expires != 24*time.Hour || !got.Time.Equal(exampleTime()) || got.AccessKeyID != "AK" {
		t.Errorf("ParsePresigned = %+v", got)
	}
	tests := []struct {
		name, query string
		want        s3err.Code
	}{
		{"max expiry", base + "&X-Amz-Expires=604800", ""},
		{"zero expiry", base + "&X-Amz-Expires=0", ""},
		{"too long", base + "&X-Amz-Expires=604801", s3err.AuthorizationQueryParamsError},
		{"negative", base + "&X-Amz-Expires=-1", s3err.AuthorizationQueryParamsError},
		{"plus sign", base + "&X-Amz-Expires=%2B5", s3err.AuthorizationQueryParamsError},
		{"not a number", base + "&X-Amz-Expires=1h", s3err.AuthorizationQueryParamsError},
		{"missing expiry", base, s3err.AuthorizationQueryParamsError},
		{"duplicate", base + "&X-Amz-Expires=1&X-Amz-Expires=2", s3err.AuthorizationQueryParamsError},
		{"bad date", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fr%2Fs3%2Faws4_request&X-Amz-Date=2013-05-24&X-Amz-SignedHeaders=host&X-Amz-Expires=1&X-Amz-Signature=" + sig64, s3err.AuthorizationQueryParamsError},
		{"other algorithm", "X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=AK%2F20130524%2Fr%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=1&X-Amz-Signature=" + sig64, s3err.InvalidRequest},
		{"bad escape", base + "&X-Amz-Expires=1&%zz", s3err.AuthorizationQueryParamsError},
	}
	for _, tt := range tests {
		_, err := ParsePresigned(tt.query)
		if tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParsePayload(t *testing.T) {
	tests := []struct {
		v    string
		want Payload
		code s3err.Code
	}{
		{UnsignedPayload, PayloadUnsigned, ""},
		{StreamingPayload, PayloadStreaming, ""},
		{StreamingPayloadTrailer, PayloadStreamingTrailer, ""},
		{StreamingUnsignedPayloadTrailer, PayloadStreamingUnsignedTrailer, ""},
		{emptySHA256, PayloadSHA256, ""},
		{"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", PayloadSHA256, ""},
		{"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", 0, s3err.NotImplemented},
		{"e3b0c4", 0, s3err.InvalidArgument},
		{"", 0, s3err.InvalidArgument},
		{"unsigned-payload", 0, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		got, _, err := ParsePayload(tt.v)
		if got != tt.want || tt.code != "" && !s3err.Is(err, tt.code) || tt.code == "" && err != nil {
			t.Errorf("ParsePayload(%q) = %v, %v; want %v, %q", tt.v, got, err, tt.want, tt.code)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"", ""},
		{"acl", "acl="},
		{"prefix=J&max-keys=2", "max-keys=2&prefix=J"},
		{"a=2&a=1&A=3", "A=3&a=1&a=2"},
		{"k=a+b%20c", "k=a%20b%20c"},
		{"k=%7e~%2B%2f/", "k=~~%2B%2F%2F"},
		{"k=%C3%A9&&", "k=%C3%A9"},
		{"X-Amz-Signature=abc&x=1", "x=1"},
		{"a-b=1&a=2&a.b=3", "a=2&a-b=1&a.b=3"},
	}
	for _, tt := range tests {
		got, err := CanonicalQuery(tt.raw, QuerySignature)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalQuery(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
	if _, err := CanonicalQuery("a=%zz"); err == nil {
		t.Error("CanonicalQuery accepted a bad escape")
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"", "/"},
		{"/", "/"},
		{"/b/test$file.text", "/b/test%24file.text"},
		{"/b/a%20b+c", "/b/a%20b%2Bc"},
		{"/b/%C3%A9/~x", "/b/%C3%A9/~x"},
		{"/b/a%2Fb", "/b/a/b"},
		{"/b/a%252F", "/b/a%252F"},
		{"/b//double//", "/b//double//"},
	}
	for _, tt := range tests {
		got, err := CanonicalURI(tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalURI(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

func TestTrimAll(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"a", "a"}, {"  a  b   c  ", "a b c"}, {"\ta\t", "a"}, {"a\t\tb", "a\t\tb"},
	}
	for _, tt := range tests {
		if got := trimAll(tt.in); got != tt.want {
			t.Errorf("trimAll(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"x-amz-date", "X-Amz-Date"}, {"CONTENT-md5", "Content-Md5"}, {"host", "Host"}, {"bad key", "bad key"},
	}
	for _, tt := range tests {
		if got := canonicalKey(tt.in); got != tt.want {
			t.Errorf("canonicalKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
