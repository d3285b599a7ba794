// Package s3 is the S3 API of a node, as functions of a request: the
// Service authenticates a Request (SigV4 through sigv4, with the node's
// clock and the configured region; PostObject through postpolicy),
// authorizes it (the access key's read, write or owner permission on the
// bucket its local or global alias names, allow-create-bucket), runs its
// Endpoint over a Store (the object service, node/s3/objstore), and
// returns a Response: status, headers and a streamed body. Every failure
// becomes an S3 error with its code, status, resource and request id in
// one place (errors.go); a panic becomes an InternalError.
//
// Bodies stream: the request body goes through the payload decoder of its
// signing mode (plain, SHA-256 checked, aws-chunked signed or unsigned,
// with trailers), the checksum reader (Content-MD5, x-amz-checksum-*),
// and, for SSE-C, an AES-256-GCM encrypter whose salt is stored with the
// data, straight into the Store; a failing body leaves nothing. Reads
// stream back the same way, decrypting only the chunks a range covers.
//
// The subpackages are the pure core the service is built on: s3err (the
// error vocabulary), sigv4, checksum, s3xml, s3req (headers and
// parameters), postpolicy, cors and lifecycle; objstore adapts the object
// service and s3test holds an in-memory Store for tests. The HTTP adapter
// is node/s3http, the website server node/web.
//
// This is node code (DESIGN.md §3): no net/http, no clock but the node's,
// no randomness but the node's (request ids, salts), no goroutine (the
// lifecycle worker is a task of the node).
package s3
