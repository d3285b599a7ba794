// Package s3 is the root of Garage's S3 API. Its subpackages are the pure
// core the HTTP adapter sits on: s3err (the error vocabulary and its XML
// body), sigv4 (AWS Signature V4 verification and the aws-chunked body
// decoder), checksum (Content-MD5 and x-amz-checksum-* computed while
// streaming), s3xml (request and response documents), s3req (request
// headers and parameters: ranges, conditions, names, metadata, copy
// source, SSE-C), postpolicy (browser POST uploads), cors (matching a
// request to a bucket's CORS rules) and lifecycle (which objects and
// uploads a bucket's lifecycle rules expire).
//
// Everything below node/s3 is node code: no clock (time is an argument),
// no randomness, no I/O but the io.Reader a caller hands in, and no
// net/http. Only this layer maps failures to S3 error codes.
package s3
