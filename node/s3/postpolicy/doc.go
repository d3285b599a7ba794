// Package postpolicy checks browser-based uploads (S3 PostObject): the
// base64 JSON policy document, its expiration and conditions (eq,
// starts-with, content-length-range, bucket, key with ${filename}), and
// its SigV4 signature, computed with sigv4's signing key over the
// policy as sent.
//
// Verify is a pure function of the form fields, the bucket, the uploaded
// file's name, the secret lookup and the time; the HTTP adapter parses the
// multipart form and checks the file's length against the returned range
// once it has read it. Errors are *s3err.Error values.
package postpolicy
