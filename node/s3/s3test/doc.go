// Package s3test holds what tests of the S3 service share: Mem, an
// in-memory s3.Store with the semantics the service expects of the object
// service (used to test the service and its HTTP adapter alone, never by
// a node), and the conformance suite every Store passes.
package s3test
