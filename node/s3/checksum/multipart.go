package checksum

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MultipartETag returns the ETag of an object completed from parts with
// the given MD5 digests: the hex MD5 of their concatenation, a dash and
// the part count, quoted.
func MultipartETag(partMD5s [][]byte) string {
	h := md5.New()
	for _, p := range partMD5s {
		h.Write(p)
	}
	return `"` + hex.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(partMD5s)) + `"`
}

// Composite returns the composite checksum of a multipart object: the
// checksum of the concatenated part checksums, which must all be of
// algorithm a. S3 shows it as Base64() + "-" + the part count. A part
// of another algorithm is an InvalidPart error.
func Composite(a Algorithm, parts []Value) (Value, error) {
	h := a.New()
	for i, p := range parts {
		if p.Algorithm != a {
			return Value{}, s3err.New(s3err.InvalidPart, "Part %d has no %v checksum, which the upload was created with.", i+1, a)
		}
		h.Write(p.Sum)
	}
	return Value{Algorithm: a, Sum: h.Sum(nil)}, nil
}
