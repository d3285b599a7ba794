// Package lifecycle owns the evaluation of a bucket's lifecycle rules:
// whether a rule expires an object (by its key, size and creation time)
// or aborts an unfinished multipart upload (by its key and initiation
// time) at a given time. Day counts follow S3: creation time plus the
// days, rounded up to the next midnight UTC. The rules are s3xml values,
// validated when they were stored; the caller passes the time in; this
// package is pure.
package lifecycle
