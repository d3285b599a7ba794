// Package checksum owns the integrity checks of S3 object data:
// Content-MD5 and the x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256}
// values, given as request headers or as aws-chunked trailers. A Reader
// computes them while the body streams through and checks them at EOF;
// the computed values (and the MD5 the ETag is made of) stay available to
// be stored and returned later.
//
// CRC-64/NVME is built on hash/crc64 with the NVMe polynomial (reflected
// form 0x9a6c9329ac4bc9b5). The package is pure: no clock, no I/O but
// the io.Reader handed in, no package-level state. Errors are
// *s3err.Error: InvalidDigest, BadDigest, InvalidRequest.
package checksum
