package s3req

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gogarage/garage/node/s3/s3err"
)

// SSEAlgorithm is the only algorithm of server-side encryption with
// customer keys.
const SSEAlgorithm = "AES256"

// SSECustomerKey is a customer-provided encryption key (SSE-C).
type SSECustomerKey struct {
	Key    [32]byte
	KeyMD5 [16]byte
}

// KeyMD5Base64 returns the key's MD5 as the response headers carry it.
func (k SSECustomerKey) KeyMD5Base64() string { return base64.StdEncoding.EncodeToString(k.KeyMD5[:]) }

// ParseSSEC reads the x-amz-server-side-encryption-customer-* headers of
// an object. It returns nil when none is present.
func ParseSSEC(get func(string) string) (*SSECustomerKey, error) {
	return parseSSEC(get, "X-Amz-Server-Side-Encryption-Customer-")
}

// ParseCopySourceSSEC reads the
// x-amz-copy-source-server-side-encryption-customer-* headers, the key of
// a copy source.
func ParseCopySourceSSEC(get func(string) string) (*SSECustomerKey, error) {
	return parseSSEC(get, "X-Amz-Copy-Source-Server-Side-Encryption-Customer-")
}

// parseSSEC reads the algorithm, key and key MD5 headers under prefix:
// all three or none; AES256; a base64 32-byte key whose MD5 matches.
// Errors are InvalidArgument, or InvalidEncryptionAlgorithmError.
func parseSSEC(get func(string) string, prefix string) (*SSECustomerKey, error) {
	alg, key, sum := get(prefix+"Algorithm"), get(prefix+"Key"), get(prefix+"Key-Md5")
	switch {
	case alg == "" && key == "" && sum == "":
		return nil, nil
	case alg == "":
		return nil, s3err.New(s3err.InvalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
	case alg != SSEAlgorithm:
		return nil, s3err.New(s3err.InvalidEncryptionAlgorithm, "")
	case key == "" || sum == "":
		return nil, s3err.New(s3err.InvalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key and its MD5.")
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 32 {
		return nil, s3err.New(s3err.InvalidArgument, "The secret key was invalid for the specified algorithm.")
	}
	var k SSECustomerKey
	copy(k.Key[:], raw)
	k.KeyMD5 = md5.Sum(raw)
	given, err := base64.StdEncoding.DecodeString(sum)
	if err != nil || subtle.ConstantTimeCompare(given, k.KeyMD5[:]) != 1 {
		return nil, s3err.New(s3err.InvalidArgument, "The calculated MD5 hash of the key did not match the hash that was provided.")
	}
	return &k, nil
}
