package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm accepted.
const Algorithm = "AWS4-HMAC-SHA256"

// TimeFormat is the layout of X-Amz-Date and of the string to sign.
const TimeFormat = "20060102T150405Z"

// DateFormat is the layout of the credential scope's date.
const DateFormat = "20060102"

// scopeTerminator ends every credential scope.
const scopeTerminator = "aws4_request"

// CanonicalHeaders returns the canonical headers block for the signed
// header names (lower case, in the order given): one "name:value\n" line
// each, the values of repeated headers joined by ',' after trimAll. The
// host header's value is r.Host.
func CanonicalHeaders(r Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	return b.String()
}

// headerValue returns the canonical value of header name in r.
func headerValue(r Request, name string) string {
	if name == "host" && r.Host != "" {
		return trimAll(r.Host)
	}
	vs := r.Values(name)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = trimAll(v)
	}
	return strings.Join(out, ",")
}

// CanonicalRequest returns the canonical request of r signed over the
// given headers with payloadHash as its last line. skipQuery names the
// query parameters left out (X-Amz-Signature for presigned requests).
func CanonicalRequest(r Request, signed []string, payloadHash string, skipQuery ...string) (string, error) {
	uri, err := CanonicalURI(r.RawPath)
	if err != nil {
		return "", err
	}
	query, err := CanonicalQuery(r.RawQuery, skipQuery...)
	if err != nil {
		return "", err
	}
	return strings.Join([]string{
		r.Method, uri, query, CanonicalHeaders(r, signed), strings.Join(signed, ";"), payloadHash,
	}, "\n"), nil
}

// Scope is a credential scope: the date, region and service a signing key
// is derived for.
type Scope struct {
	Date    string // yyyymmdd
	Region  string
	Service string
}

// String returns "date/region/service/aws4_request".
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + scopeTerminator
}

// StringToSign returns the string to sign for a request signed at t within
// scope, whose canonical request is canonical.
func StringToSign(t time.Time, scope Scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return Algorithm + "\n" + t.UTC().Format(TimeFormat) + "\n" + scope.String() + "\n" + hex.EncodeToString(sum[:])
}

// SigningKey derives the signing key of secret for scope: the HMAC-SHA256
// chain over "AWS4"+secret, date, region, service and "aws4_request".
func SigningKey(secret string, scope Scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), scope.Date)
	k = hmacSHA256(k, scope.Region)
	k = hmacSHA256(k, scope.Service)
	return hmacSHA256(k, scopeTerminator)
}

// Sign returns the hex signature of stringToSign under key.
func Sign(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

// hmacSHA256 returns HMAC-SHA256(key, data).
func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// signaturesEqual compares two hex signatures in constant time (for equal
// lengths), ignoring the case of the hex digits of got.
func signaturesEqual(got, want string) bool {
	return hmac.Equal([]byte(strings.ToLower(got)), []byte(want))
}

// parseSignature checks that s is a 64-digit hex signature.
func parseSignature(s string) error {
	if len(s) != 64 {
		return fmt.Errorf("signature %q is not 64 hex digits", s)
	}
	if _, err := hex.DecodeString(s); err != nil {
		return fmt.Errorf("signature %q is not hex", s)
	}
	return nil
}
