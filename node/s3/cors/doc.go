// Package cors owns the evaluation of a bucket's CORS rules: matching a
// request's origin, method and requested headers to the first rule that
// allows them, and the Access-Control-* headers S3 answers with, for
// preflight (OPTIONS) and actual requests. The rules are s3xml values,
// validated when they were stored; this package is pure.
package cors
