package s3xml

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

// fuzzParse checks that parse never panics, fails only with S3 errors,
// and that what it accepts survives a marshal/parse round trip.
func fuzzParse[T any](t *testing.T, body string, parse func(*strings.Reader) (T, error)) {
	v, err := parse(strings.NewReader(body))
	if err != nil {
		var e *s3err.Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is not an *s3err.Error", err)
		}
		return
	}
	first := Marshal(v)
	again, err := parse(strings.NewReader(string(first)))
	if err != nil {
		t.Fatalf("cannot parse back %s: %v", first, err)
	}
	if second := Marshal(again); !bytes.Equal(first, second) {
		t.Fatalf("round trip changed\n%s\ninto\n%s", first, second)
	}
}

func FuzzCompleteMultipartUpload(f *testing.F) {
	f.Add(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part></CompleteMultipartUpload>`)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzParse(t, body, func(r *strings.Reader) (CompleteMultipartUpload, error) { return ParseCompleteMultipartUpload(r) })
	})
}

func FuzzDelete(f *testing.F) {
	f.Add(`<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object></Delete>`)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzParse(t, body, func(r *strings.Reader) (Delete, error) { return ParseDelete(r) })
	})
}

func FuzzCORS(f *testing.F) {
	f.Add(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzParse(t, body, func(r *strings.Reader) (CORSConfiguration, error) { return ParseCORSConfiguration(r) })
	})
}

func FuzzWebsite(f *testing.F) {
	f.Add(`<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>`)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzParse(t, body, func(r *strings.Reader) (WebsiteConfiguration, error) { return ParseWebsiteConfiguration(r) })
	})
}

func FuzzLifecycle(f *testing.F) {
	f.Add(`<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>`)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzParse(t, body, func(r *strings.Reader) (LifecycleConfiguration, error) { return ParseLifecycleConfiguration(r) })
	})
}
