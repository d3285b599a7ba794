// Package s3err owns the S3 error vocabulary: the codes S3 clients
// understand, the HTTP status each one carries, their default messages,
// and the XML error body an S3 response holds.
//
// Error is the one error type of the S3 layer. Code lookups are pure
// switches over constants: the package keeps no mutable state. Lower
// layers never see these codes; only node/s3 packages produce them.
package s3err
