package s3req

import (
	"crypto/md5"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

func TestParseSSEC(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	sum := md5.Sum(key)
	b64 := base64.StdEncoding.EncodeToString
	const p = "X-Amz-Server-Side-Encryption-Customer-"
	tests := []struct {
		name string
		h    []string
		want s3err.Code
	}{
		{"valid", []string{p + "Algorithm", "AES256", p + "Key", b64(key), p + "Key-Md5", b64(sum[:])}, ""},
		{"wrong algorithm", []string{p + "Algorithm", "AES128", p + "Key", b64(key), p + "Key-Md5", b64(sum[:])}, s3err.InvalidEncryptionAlgorithm},
		{"no algorithm", []string{p + "Key", b64(key), p + "Key-Md5", b64(sum[:])}, s3err.InvalidArgument},
		{"no key", []string{p + "Algorithm", "AES256", p + "Key-Md5", b64(sum[:])}, s3err.InvalidArgument},
		{"no md5", []string{p + "Algorithm", "AES256", p + "Key", b64(key)}, s3err.InvalidArgument},
		{"short key", []string{p + "Algorithm", "AES256", p + "Key", b64(key[:16]), p + "Key-Md5", b64(sum[:])}, s3err.InvalidArgument},
		{"bad base64", []string{p + "Algorithm", "AES256", p + "Key", "!!", p + "Key-Md5", b64(sum[:])}, s3err.InvalidArgument},
		{"md5 mismatch", []string{p + "Algorithm", "AES256", p + "Key", b64(key), p + "Key-Md5", b64(make([]byte, 16))}, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		got, err := ParseSSEC(lookup(tt.h...))
		if tt.want != "" {
			if !s3err.Is(err, tt.want) || got != nil {
				t.Errorf("%s: %v, %v; want %s", tt.name, got, err, tt.want)
			}
			continue
		}
		if err != nil || got == nil || string(got.Key[:]) != string(key) || got.KeyMD5Base64() != b64(sum[:]) {
			t.Errorf("%s: %+v, %v", tt.name, got, err)
		}
	}
	if got, err := ParseSSEC(lookup()); got != nil || err != nil {
		t.Errorf("no headers: %v, %v", got, err)
	}
	cp := "X-Amz-Copy-Source-Server-Side-Encryption-Customer-"
	got, err := ParseCopySourceSSEC(lookup(cp+"Algorithm", "AES256", cp+"Key", b64(key), cp+"Key-Md5", b64(sum[:])))
	if err != nil || got == nil {
		t.Errorf("copy source SSE-C: %v, %v", got, err)
	}
}
