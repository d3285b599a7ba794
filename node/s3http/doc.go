// Package s3http is the HTTP adapter of the S3 API: Handler finds the
// bucket and key a request addresses (path style, or virtual-host style
// under the configured root domain), routes it with gorilla/mux by method,
// subresource query parameters and headers to an s3.Endpoint (S3
// subresources Garage does not have go to NotImplemented), hands it to the
// s3.Service as an s3.Request and writes the s3.Response back, streaming
// its body.
//
// The same Handler serves a real node's listener (node/daemon) and the
// simulator's clients, which call ServeHTTP synchronously from their task
// with a recorder (experiments/s3client): SigV4 and request parsing run
// in both worlds. No panic reaches a client: before the answer starts it
// becomes an InternalError with a request id; after, the answer is cut.
//
// It is node code allowed to import net/http (the guard's allowlist of
// HTTP adapters), and follows the rest of DESIGN.md §3.
package s3http
