// Package objstore is the s3.Store of a node: its object service
// (node/object) seen as the S3 layer needs it. It converts ids, metadata,
// listings and bucket documents between the two, and maps the object
// service's errors to the S3 layer's sentinels. It adds no round trip of
// its own, except where noted (an upload's lookup, a pinned read).
package objstore
