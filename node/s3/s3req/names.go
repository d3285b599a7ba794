package s3req

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxKeyLength is the largest object key, in bytes of UTF-8.
const MaxKeyLength = 1024

// ValidateBucketName checks the S3 bucket naming rules: 3 to 63
// characters among lower-case letters, digits, '.' and '-'; starting and
// ending with a letter or digit; no two adjacent periods; not an IPv4
// address; none of the prefixes and suffixes AWS reserves. Errors are
// InvalidBucketName.
func ValidateBucketName(name string) error {
	if why := bucketNameProblem(name); why != "" {
		return s3err.New(s3err.InvalidBucketName, "The specified bucket is not valid: %s.", why).With("BucketName", name)
	}
	return nil
}

// bucketNameProblem returns what is wrong with name, or "".
func bucketNameProblem(name string) string {
	switch {
	case len(name) < 3 || len(name) > 63:
		return "a bucket name has 3 to 63 characters"
	case strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "":
		return "a bucket name holds only lower-case letters, digits, '.' and '-'"
	case !isAlnum(name[0]) || !isAlnum(name[len(name)-1]):
		return "a bucket name starts and ends with a letter or digit"
	case strings.Contains(name, ".."):
		return "a bucket name has no two adjacent periods"
	case isIPv4(name):
		return "a bucket name is not an IP address"
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return "the prefix " + p + " is reserved"
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return "the suffix " + s + " is reserved"
		}
	}
	return ""
}

// isAlnum reports whether c is a lower-case letter or a digit.
func isAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// isIPv4 reports whether s is a dotted-quad IPv4 address.
func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// ValidateKey checks an object key: non-empty, valid UTF-8, at most 1024
// bytes. Errors are KeyTooLongError and InvalidArgument.
func ValidateKey(key string) error {
	switch {
	case len(key) > MaxKeyLength:
		return s3err.New(s3err.KeyTooLongError, "").With("Size", itoa(len(key))).With("MaxSizeAllowed", itoa(MaxKeyLength))
	case key == "":
		return s3err.New(s3err.InvalidArgument, "The object key must not be empty.")
	case !utf8.ValidString(key):
		return s3err.New(s3err.InvalidArgument, "The object key must be valid UTF-8.")
	}
	return nil
}
