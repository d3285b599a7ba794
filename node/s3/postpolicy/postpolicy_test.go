package postpolicy

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

const (
	testAK     = "GKpost"
	testSecret = "postsecret"
)

// testTime is when the test forms are signed.
func testTime() time.Time { return time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC) }

// testVerifier knows the one test key.
func testVerifier() Verifier {
	return Verifier{Region: "garage", Secret: func(ak string) (string, error) {
		if ak == testAK {
			return testSecret, nil
		}
		return "", sigv4.ErrUnknownKey
	}}
}

// signedForm returns a POST form for policy, signed by minio-go's
// PostPresignSignatureV4, with extra fields appended.
func signedForm(policy string, extra ...Field) []Field {
	b64 := base64.StdEncoding.EncodeToString([]byte(policy))
	sig := signer.PostPresignSignatureV4(b64, testTime(), testSecret, "garage")
	form := []Field{
		{"key", "uploads/${filename}"},
		{"Policy", b64},
		{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
		{"X-Amz-Credential", testAK + "/20240601/garage/s3/aws4_request"},
		{"X-Amz-Date", "20240601T120000Z"},
		{"X-Amz-Signature", sig},
	}
	return append(form, extra...)
}

// basePolicy covers the fields of signedForm, then the given conditions.
func basePolicy(conds ...string) string {
	all := append([]string{`{"bucket": "photos"}`, `["starts-with", "$key", "uploads/"]`,
		`{"x-amz-algorithm": "AWS4-HMAC-SHA256"}`, `{"x-amz-credential": "GKpost/20240601/garage/s3/aws4_request"}`,
		`{"x-amz-date": "20240601T120000Z"}`}, conds...)
	return `{"expiration": "2024-06-01T13:00:00.000Z", "conditions": [` + strings.Join(all, ",") + `]}`
}

func TestVerifyAccepts(t *testing.T) {
	form := signedForm(basePolicy(`["content-length-range", 1, "1048576"]`, `["eq", "$Content-Type", "image/png"]`, `["starts-with", "$x-amz-meta-tag", ""]`),
		Field{"Content-Type", "image/png"}, Field{"x-amz-meta-tag", "holiday"}, Field{"x-ignore-me", "x"})
	up, err := testVerifier().Verify(form, "photos", "cat.png", testTime().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if up.AccessKeyID != testAK || up.Key != "uploads/cat.png" || up.Length != (LengthRange{1, 1 << 20}) || up.Fields["content-type"] != "image/png" {
		t.Errorf("upload %+v", up)
	}
	tests := []struct {
		n    int64
		want s3err.Code
	}{{0, s3err.EntityTooSmall}, {1, ""}, {1 << 20, ""}, {1<<20 + 1, s3err.EntityTooLarge}}
	for _, tt := range tests {
		if err := up.Length.Check(tt.n); tt.want == "" && err != nil || tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("Check(%d) = %v, want %q", tt.n, err, tt.want)
		}
	}
	if (LengthRange{0, -1}).Check(1<<40) != nil {
		t.Error("unbounded range refused a large file")
	}
}

func TestVerifyRejects(t *testing.T) {
	good := basePolicy()
	tamper := func(form []Field, name, value string) []Field {
		out := append([]Field(nil), form...)
		for i := range out {
			if strings.EqualFold(out[i].Name, name) {
				out[i].Value = value
			}
		}
		return out
	}
	tests := []struct {
		name   string
		form   []Field
		bucket string
		now    time.Time
		want   s3err.Code
	}{
		{"expired", signedForm(good), "photos", testTime().Add(2 * time.Hour), s3err.AccessDenied},
		{"other bucket", signedForm(good), "videos", testTime(), s3err.AccessDenied},
		{"key outside prefix", tamper(signedForm(good), "key", "other/x"), "photos", testTime(), s3err.AccessDenied},
		{"extra field", signedForm(good, Field{"Content-Type", "text/html"}), "photos", testTime(), s3err.AccessDenied},
		{"eq fails", signedForm(basePolicy(`["eq", "$Content-Type", "image/png"]`), Field{"Content-Type", "text/html"}), "photos", testTime(), s3err.AccessDenied},
		{"eq on missing field", signedForm(basePolicy(`["eq", "$Content-Type", "image/png"]`)), "photos", testTime(), s3err.AccessDenied},
		{"tampered policy", tamper(signedForm(good), "policy", base64.StdEncoding.EncodeToString([]byte(basePolicy(`["starts-with", "$key", ""]`)))), "photos", testTime(), s3err.SignatureDoesNotMatch},
		{"tampered signature", tamper(signedForm(good), "x-amz-signature", strings.Repeat("0", 64)), "photos", testTime(), s3err.SignatureDoesNotMatch},
		{"unknown key", tamper(signedForm(good), "x-amz-credential", "GKnobody/20240601/garage/s3/aws4_request"), "photos", testTime(), s3err.InvalidAccessKeyID},
		{"wrong region", tamper(signedForm(good), "x-amz-credential", testAK+"/20240601/us-east-1/s3/aws4_request"), "photos", testTime(), s3err.AuthorizationQueryParamsError},
		{"wrong date", tamper(signedForm(good), "x-amz-date", "20240602T120000Z"), "photos", testTime(), s3err.AuthorizationQueryParamsError},
		{"bad algorithm", tamper(signedForm(good), "x-amz-algorithm", "AWS4-HMAC-SHA1"), "photos", testTime(), s3err.InvalidArgument},
		{"missing key", signedForm(good)[1:], "photos", testTime(), s3err.InvalidArgument},
		{"repeated field", signedForm(good, Field{"KEY", "uploads/x"}), "photos", testTime(), s3err.InvalidArgument},
		{"not base64", tamper(signedForm(good), "policy", "!!!"), "photos", testTime(), s3err.SignatureDoesNotMatch},
	}
	for _, tt := range tests {
		_, err := testVerifier().Verify(tt.form, tt.bucket, "f.txt", tt.now)
		if !s3err.Is(err, tt.want) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		name, doc string
		want      s3err.Code
		conds     int
	}{
		{"minimal", `{"expiration": "2024-01-01T00:00:00Z", "conditions": []}`, "", 0},
		{"object with two fields", `{"expiration": "2024-01-01T00:00:00.000Z", "conditions": [{"acl": "private", "bucket": "b"}]}`, "", 2},
		{"numbers as strings", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["content-length-range", "0", "10"]]}`, "", 1},
		{"upper-case op", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["EQ", "$key", "a"], ["Starts-With", "$key", ""]]}`, "", 2},
		{"no expiration", `{"conditions": []}`, s3err.InvalidPolicyDocument, 0},
		{"bad expiration", `{"expiration": "tomorrow", "conditions": []}`, s3err.InvalidPolicyDocument, 0},
		{"unknown member", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [], "x": 1}`, s3err.InvalidPolicyDocument, 0},
		{"trailing", `{"expiration": "2024-01-01T00:00:00Z", "conditions": []} {}`, s3err.InvalidPolicyDocument, 0},
		{"not json", `expiration`, s3err.InvalidPolicyDocument, 0},
		{"unknown op", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["ends-with", "$key", "a"]]}`, s3err.InvalidPolicyDocument, 0},
		{"no dollar", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["eq", "key", "a"]]}`, s3err.InvalidPolicyDocument, 0},
		{"short array", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["eq", "$key"]]}`, s3err.InvalidPolicyDocument, 0},
		{"number value", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [{"acl": 1}]}`, s3err.InvalidPolicyDocument, 0},
		{"inverted range", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["content-length-range", 10, 1]]}`, s3err.InvalidPolicyDocument, 0},
		{"fractional range", `{"expiration": "2024-01-01T00:00:00Z", "conditions": [["content-length-range", 1.5, 10]]}`, s3err.InvalidPolicyDocument, 0},
	}
	for _, tt := range tests {
		p, err := ParsePolicy(base64.StdEncoding.EncodeToString([]byte(tt.doc)))
		if tt.want != "" {
			if !s3err.Is(err, tt.want) {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
			}
			continue
		}
		if err != nil || len(p.Conditions) != tt.conds {
			t.Errorf("%s: %+v, %v", tt.name, p, err)
		}
	}
}
