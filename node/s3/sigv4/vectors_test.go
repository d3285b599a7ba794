package sigv4

import (
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// The published examples of the S3 documentation ("Signature Calculations
// for the Authorization Header" and "Query String Authentication").
const (
	exampleAK     = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	exampleDate   = "20130524T000000Z"
	exampleScope  = "20130524/us-east-1/s3/aws4_request"
)

// exampleTime is the time of the published examples.
func exampleTime() time.Time { return time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC) }

// exampleVerifier verifies with the published example key only.
func exampleVerifier() Verifier {
	return Verifier{Region: "us-east-1", Secret: staticSecrets(map[string]string{exampleAK: exampleSecret})}
}

// staticSecrets is a SecretFunc over a fixed table.
func staticSecrets(m map[string]string) SecretFunc {
	return func(ak string) (string, error) {
		if s, ok := m[ak]; ok {
			return s, nil
		}
		return "", ErrUnknownKey
	}
}

// authHeader returns a published example's Authorization header.
func authHeader(signed, sig string) string {
	return "AWS4-HMAC-SHA256 Credential=" + exampleAK + "/" + exampleScope + ",SignedHeaders=" + signed + ",Signature=" + sig
}

func TestPublishedHeaderVectors(t *testing.T) {
	tests := []struct {
		name string
		req  Request
	}{
		{"GET object", Request{
			Method: "GET", RawPath: "/test.txt", Host: "examplebucket.s3.amazonaws.com",
			Header: map[string][]string{
				"Range":                {"bytes=0-9"},
				"X-Amz-Content-Sha256": {emptySHA256},
				"X-Amz-Date":           {exampleDate},
				"Authorization": {authHeader("host;range;x-amz-content-sha256;x-amz-date",
					"f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")},
			}}},
		{"PUT object", Request{
			Method: "PUT", RawPath: "/test$file.text", Host: "examplebucket.s3.amazonaws.com",
			Header: map[string][]string{
				"Date":                 {"Fri, 24 May 2013 00:00:00 GMT"},
				"X-Amz-Storage-Class":  {"REDUCED_REDUNDANCY"},
				"X-Amz-Content-Sha256": {"44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"},
				"X-Amz-Date":           {exampleDate},
				"Authorization": {authHeader("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
					"98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")},
			}}},
		{"GET bucket lifecycle", Request{
			Method: "GET", RawPath: "/", RawQuery: "lifecycle", Host: "examplebucket.s3.amazonaws.com",
			Header: map[string][]string{
				"X-Amz-Content-Sha256": {emptySHA256},
				"X-Amz-Date":           {exampleDate},
				"Authorization": {authHeader("host;x-amz-content-sha256;x-amz-date",
					"fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")},
			}}},
		{"GET bucket list", Request{
			Method: "GET", RawPath: "/", RawQuery: "max-keys=2&prefix=J", Host: "examplebucket.s3.amazonaws.com",
			Header: map[string][]string{
				"X-Amz-Content-Sha256": {emptySHA256},
				"X-Amz-Date":           {exampleDate},
				"Authorization": {authHeader("host;x-amz-content-sha256;x-amz-date",
					"34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := exampleVerifier().Verify(tt.req, exampleTime().Add(time.Minute))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.AccessKeyID != exampleAK || res.Presigned {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestPublishedPresignedVector(t *testing.T) {
	q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + exampleAK + "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=" + exampleDate + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	r := Request{Method: "GET", RawPath: "/test.txt", RawQuery: q, Host: "examplebucket.s3.amazonaws.com"}
	res, err := exampleVerifier().Verify(r, exampleTime().Add(time.Hour))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !res.Presigned || res.Payload != PayloadUnsigned {
		t.Errorf("result %+v", res)
	}
	_, err = exampleVerifier().Verify(r, exampleTime().Add(24*time.Hour+time.Second))
	if !s3err.Is(err, s3err.AccessDenied) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("one second after expiry: %v, want AccessDenied Request has expired", err)
	}
}

func TestPublishedSigningKey(t *testing.T) {
	// From the SigV4 documentation's key derivation example.
	key := SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Scope{"20120215", "us-east-1", "iam"})
	got := strings.ToLower(hexString(key))
	want := "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
	if got != want {
		t.Errorf("SigningKey = %s, want %s", got, want)
	}
}
