// Package web is Garage's static website server ([s3_web]): a request's
// host name names a bucket (with or without the configured root domain);
// a bucket whose website is enabled (it has a website configuration) is
// served to anonymous GET and HEAD requests, with its index document for
// directories, its error document for missing keys, a redirect from
// /dir to /dir/ when /dir/ has an index, and the bucket's CORS rules.
// Buckets without a website are never readable here.
//
// It is an HTTP adapter over the object store the S3 service uses
// (s3.Store); like node/s3http it is node code that may import net/http,
// and it is the same handler in the daemon and in the simulator.
package web
