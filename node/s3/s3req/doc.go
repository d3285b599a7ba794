// Package s3req owns the meaning of S3 request headers and parameters
// that the object service needs as values: byte ranges, conditional
// requests, bucket name and object key rules, user metadata, the copy
// source and its range, response-* overrides and SSE-C keys.
//
// Functions read headers through a lookup function (sigv4.Request.Get
// fits) or take the header value itself; they are pure and return
// *s3err.Error values carrying the code S3 sends.
package s3req
