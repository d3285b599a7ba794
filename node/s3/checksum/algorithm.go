package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Algorithm is an S3 additional checksum algorithm.
type Algorithm int

// The algorithms S3 supports; None means no additional checksum.
const (
	None Algorithm = iota
	CRC32
	CRC32C
	CRC64NVME
	SHA1
	SHA256
)

// NVMEPoly is the CRC-64/NVME polynomial in the reflected form
// hash/crc64 takes.
const NVMEPoly = 0x9a6c9329ac4bc9b5

// headerPrefix starts the header and trailer names of checksums.
const headerPrefix = "x-amz-checksum-"

// Algorithms returns the supported algorithms.
func Algorithms() []Algorithm { return []Algorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256} }

// String returns the algorithm's S3 name ("CRC32", ..., "" for None).
func (a Algorithm) String() string {
	switch a {
	case CRC32:
		return "CRC32"
	case CRC32C:
		return "CRC32C"
	case CRC64NVME:
		return "CRC64NVME"
	case SHA1:
		return "SHA1"
	case SHA256:
		return "SHA256"
	}
	return ""
}

// Header returns the lower-case header (and trailer) name that carries
// the algorithm's value, e.g. "x-amz-checksum-crc32".
func (a Algorithm) Header() string { return headerPrefix + strings.ToLower(a.String()) }

// Size returns the length in bytes of the algorithm's digest.
func (a Algorithm) Size() int {
	switch a {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	}
	return 0
}

// New returns a hash computing the algorithm; its Sum is the big-endian
// digest S3 encodes in base64. It panics for None.
func (a Algorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case CRC64NVME:
		return crc64.New(crc64.MakeTable(NVMEPoly))
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	}
	panic(fmt.Sprintf("checksum: New of algorithm %d", int(a)))
}

// ParseAlgorithm parses an algorithm name, in any case, as
// x-amz-checksum-algorithm and x-amz-sdk-checksum-algorithm carry it.
// Errors are InvalidRequest.
func ParseAlgorithm(s string) (Algorithm, error) {
	for _, a := range Algorithms() {
		if strings.EqualFold(s, a.String()) {
			return a, nil
		}
	}
	return None, s3err.New(s3err.InvalidRequest, "Value for x-amz-checksum-algorithm header is invalid: %q", s)
}

// algorithmOfHeader returns the algorithm whose value header (lower case)
// is name, or None.
func algorithmOfHeader(name string) Algorithm {
	for _, a := range Algorithms() {
		if a.Header() == name {
			return a
		}
	}
	return None
}

// Value is a checksum: its algorithm and raw digest.
type Value struct {
	Algorithm Algorithm
	Sum       []byte
}

// Base64 returns the digest as S3 headers carry it.
func (v Value) Base64() string { return base64.StdEncoding.EncodeToString(v.Sum) }

// IsZero reports whether v holds no checksum.
func (v Value) IsZero() bool { return v.Algorithm == None }

// ParseValue decodes the base64 value of a checksum of algorithm a.
// Errors are InvalidRequest.
func ParseValue(a Algorithm, b64 string) (Value, error) {
	sum, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(sum) != a.Size() {
		return Value{}, s3err.New(s3err.InvalidRequest, "Value for %s header is invalid.", a.Header())
	}
	return Value{Algorithm: a, Sum: sum}, nil
}

// Compute returns the checksum of data with algorithm a.
func Compute(a Algorithm, data []byte) Value {
	h := a.New()
	h.Write(data)
	return Value{Algorithm: a, Sum: h.Sum(nil)}
}
