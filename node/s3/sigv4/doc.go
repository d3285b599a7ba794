// Package sigv4 verifies AWS Signature Version 4 on S3 requests, as pure
// functions: the caller passes the request view, the secret lookup and the
// current time; nothing here reads a clock, a socket or a file.
//
// It owns the parsing of the Authorization header and of presigned query
// parameters, the canonical request exactly as S3 computes it (the path is
// decoded and re-encoded once, never twice; the query is sorted and
// re-encoded; header values are trimmed and inner spaces collapsed), the
// string to sign, the signing-key derivation and the constant-time
// comparison. It also owns the request body decoders that S3's payload
// modes call for: a reader that checks the declared SHA-256 at EOF, and
// an aws-chunked decoder that checks every chunk signature (chained from
// the seed signature), the final chunk and the trailers, buffering at
// most one chunk.
//
// Every error it returns is an *s3err.Error with the code S3 would send.
// Signature comparisons run in constant time; secrets never appear in
// errors.
package sigv4
