package s3err

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		code Code
		want int
	}{
		{NoSuchKey, 404}, {NoSuchBucket, 404}, {NoSuchUpload, 404}, {AccessDenied, 403},
		{InvalidAccessKeyID, 403}, {SignatureDoesNotMatch, 403}, {RequestTimeTooSkewed, 403},
		{AuthorizationHeaderMalformed, 400}, {InvalidRange, 416}, {MalformedXML, 400},
		{InvalidPart, 400}, {InvalidPartOrder, 400}, {EntityTooSmall, 400}, {EntityTooLarge, 400},
		{BucketNotEmpty, 409}, {BucketAlreadyExists, 409}, {BucketAlreadyOwnedByYou, 409},
		{PreconditionFailed, 412}, {NotModified, 304}, {InvalidDigest, 400}, {BadDigest, 400},
		{XAmzContentSHA256Mismatch, 400}, {InvalidArgument, 400}, {InvalidBucketName, 400},
		{KeyTooLongError, 400}, {MethodNotAllowed, 405}, {MissingContentLength, 411},
		{NotImplemented, 501}, {InternalError, 500}, {ServiceUnavailable, 503}, {SlowDown, 503},
		{InvalidRequest, 400}, {NoSuchBucketPolicy, 404}, {NoSuchCORSConfiguration, 404},
		{NoSuchWebsiteConfiguration, 404}, {NoSuchLifecycleConfiguration, 404},
		{QuotaExceeded, 403}, {InvalidStorageClass, 400}, {MalformedTrailerError, 400},
		{Code("NoSuchThing"), 500},
	}
	for _, tt := range tests {
		if got := tt.code.Status(); got != tt.want {
			t.Errorf("%s.Status() = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestEveryCodeHasMessage(t *testing.T) {
	seen := map[Code]bool{}
	for _, c := range Codes() {
		if c.DefaultMessage() == "" {
			t.Errorf("%s has no default message", c)
		}
		if seen[c] {
			t.Errorf("%s listed twice", c)
		}
		seen[c] = true
	}
}

func TestBody(t *testing.T) {
	e := New(NoSuchKey, "").WithResource("/b/a&b").With("Key", "a&b")
	got := string(e.Body("req-1"))
	want := xml.Header + `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>` +
		`<Resource>/b/a&amp;b</Resource><RequestId>req-1</RequestId><Key>a&amp;b</Key></Error>`
	if got != want {
		t.Errorf("Body:\n got %s\nwant %s", got, want)
	}
}

func TestBodyParsesBack(t *testing.T) {
	var doc struct {
		Code, Message, Resource, RequestId string
	}
	e := New(AccessDenied, "no <way> %d", 7)
	if err := xml.Unmarshal(e.Body("id"), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Code != "AccessDenied" || doc.Message != "no <way> 7" || doc.RequestId != "id" || doc.Resource != "" {
		t.Errorf("parsed %+v", doc)
	}
}

func TestFromAndIs(t *testing.T) {
	cause := errors.New("disk on fire")
	wrapped := fmt.Errorf("get: %w", Wrap(NoSuchKey, cause))
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{"s3 error", New(InvalidRange, ""), InvalidRange},
		{"wrapped s3 error", wrapped, NoSuchKey},
		{"plain error", cause, InternalError},
	}
	for _, tt := range tests {
		if got := From(tt.err).Code; got != tt.want {
			t.Errorf("%s: From().Code = %s, want %s", tt.name, got, tt.want)
		}
		if !Is(From(tt.err), tt.want) {
			t.Errorf("%s: Is(%s) = false", tt.name, tt.want)
		}
	}
	if From(nil) != nil {
		t.Error("From(nil) != nil")
	}
	if !errors.Is(wrapped, cause) {
		t.Error("cause lost through Wrap")
	}
	if !strings.Contains(wrapped.Error(), "disk on fire") {
		t.Errorf("Error() %q hides the cause", wrapped.Error())
	}
}

func TestWithDoesNotAlias(t *testing.T) {
	base := New(RequestTimeTooSkewed, "").With("A", "1")
	x := base.With("B", "2")
	y := base.With("C", "3")
	if len(base.Extra) != 1 || x.Extra[1].Name != "B" || y.Extra[1].Name != "C" {
		t.Errorf("With aliases: base %v x %v y %v", base.Extra, x.Extra, y.Extra)
	}
}

func ExampleError_Body() {
	e := New(NoSuchBucket, "").WithResource("/photos")
	fmt.Println(e.Status(), string(e.Body("4442587FB7D0A2F9")[len(xml.Header):]))
	// Output: 404 <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message><Resource>/photos</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>
}
