package s3http

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/gogarage/garage/node/s3"
)

// target is where a request is addressed, found before routing.
type target struct {
	bucket, key string
}

// route is one row of the routing table: a method, what the request
// addresses, the query parameters and headers it must carry, and the
// endpoint it goes to. Rows are tried in order.
type route struct {
	method  string
	level   level
	queries []string // parameters that must be present ("list-type=2": with that value)
	header  string   // a header that must be present
	ep      s3.Endpoint
}

// level is what a request addresses.
type level int

const (
	service  level = iota // no bucket
	bucket                // a bucket, no key
	object                // an object
	anyLevel              // a bucket or an object
)

// routes is the routing table of the S3 API. Subresources of S3 that
// Garage does not implement are routed to NotImplemented first.
func routes() []route {
	return []route{
		{method: "GET", level: service, ep: s3.ListBuckets},
		{method: "OPTIONS", level: anyLevel, ep: s3.Options},
		{method: "GET", level: bucket, queries: []string{"location"}, ep: s3.GetBucketLocation},
		{method: "GET", level: bucket, queries: []string{"versioning"}, ep: s3.GetBucketVersioning},
		{method: "GET", level: bucket, queries: []string{"website"}, ep: s3.GetBucketWebsite},
		{method: "GET", level: bucket, queries: []string{"cors"}, ep: s3.GetBucketCors},
		{method: "GET", level: bucket, queries: []string{"lifecycle"}, ep: s3.GetBucketLifecycle},
		{method: "GET", level: bucket, queries: []string{"uploads"}, ep: s3.ListMultipartUploads},
		{method: "GET", level: bucket, queries: []string{"list-type=2"}, ep: s3.ListObjectsV2},
		{method: "GET", level: bucket, ep: s3.ListObjects},
		{method: "HEAD", level: bucket, ep: s3.HeadBucket},
		{method: "PUT", level: bucket, queries: []string{"website"}, ep: s3.PutBucketWebsite},
		{method: "PUT", level: bucket, queries: []string{"cors"}, ep: s3.PutBucketCors},
		{method: "PUT", level: bucket, queries: []string{"lifecycle"}, ep: s3.PutBucketLifecycle},
		{method: "PUT", level: bucket, queries: []string{"versioning"}, ep: s3.NotImplemented},
		{method: "PUT", level: bucket, ep: s3.CreateBucket},
		{method: "DELETE", level: bucket, queries: []string{"website"}, ep: s3.DeleteBucketWebsite},
		{method: "DELETE", level: bucket, queries: []string{"cors"}, ep: s3.DeleteBucketCors},
		{method: "DELETE", level: bucket, queries: []string{"lifecycle"}, ep: s3.DeleteBucketLifecycle},
		{method: "DELETE", level: bucket, ep: s3.DeleteBucket},
		{method: "POST", level: bucket, queries: []string{"delete"}, ep: s3.DeleteObjects},
		{method: "POST", level: bucket, ep: s3.PostObject},
		{method: "GET", level: object, queries: []string{"uploadId"}, ep: s3.ListParts},
		{method: "GET", level: object, ep: s3.GetObject},
		{method: "HEAD", level: object, ep: s3.HeadObject},
		{method: "PUT", level: object, queries: []string{"partNumber", "uploadId"}, header: "X-Amz-Copy-Source", ep: s3.UploadPartCopy},
		{method: "PUT", level: object, queries: []string{"partNumber", "uploadId"}, ep: s3.UploadPart},
		{method: "PUT", level: object, header: "X-Amz-Copy-Source", ep: s3.CopyObject},
		{method: "PUT", level: object, ep: s3.PutObject},
		{method: "POST", level: object, queries: []string{"uploads"}, ep: s3.CreateMultipartUpload},
		{method: "POST", level: object, queries: []string{"uploadId"}, ep: s3.CompleteMultipartUpload},
		{method: "DELETE", level: object, queries: []string{"uploadId"}, ep: s3.AbortMultipartUpload},
		{method: "DELETE", level: object, ep: s3.DeleteObject},
	}
}

// unsupported lists the subresources of S3 this implementation does not
// have: a request naming one is NotImplemented whatever its method.
func unsupported() []string {
	return []string{"acl", "policy", "policyStatus", "tagging", "versions", "versionId", "replication",
		"encryption", "notification", "logging", "object-lock", "retention", "legal-hold", "torrent",
		"restore", "select", "attributes", "ownershipControls", "publicAccessBlock", "accelerate",
		"analytics", "inventory", "metrics", "intelligent-tiering", "requestPayment", "session"}
}

// newRouter builds the gorilla/mux router of the routing table; each
// route's handler serves its endpoint through serve.
func newRouter(serve func(s3.Endpoint) http.Handler) *mux.Router {
	r := mux.NewRouter().SkipClean(true) // keys like "a//b" or "a/../b" are names, not paths
	r.Methods("GET").MatcherFunc(object.match).MatcherFunc(hasQuery("tagging")).Handler(serve(s3.GetObjectTagging))
	r.MatcherFunc(hasAny(unsupported())).Handler(serve(s3.NotImplemented))
	for _, rt := range routes() {
		m := r.Methods(rt.method).MatcherFunc(rt.level.match)
		for _, q := range rt.queries {
			m = m.MatcherFunc(hasQuery(q))
		}
		if rt.header != "" {
			m = m.HeadersRegexp(rt.header, ".")
		}
		m.Handler(serve(rt.ep))
	}
	r.NotFoundHandler = serve(s3.NotImplemented)
	r.MethodNotAllowedHandler = serve(s3.NotImplemented)
	return r
}

// match reports whether the request's target is at level l.
func (l level) match(r *http.Request, _ *mux.RouteMatch) bool {
	t := targetOf(r)
	switch l {
	case service:
		return t.bucket == ""
	case bucket:
		return t.bucket != "" && t.key == ""
	case object:
		return t.bucket != "" && t.key != ""
	}
	return t.bucket != ""
}

// hasQuery matches requests carrying the query parameter q ("name", or
// "name=value" for that value).
func hasQuery(q string) mux.MatcherFunc {
	name, value, withValue := strings.Cut(q, "=")
	return func(r *http.Request, _ *mux.RouteMatch) bool {
		vs, ok := targetOf(r).query[name]
		if !withValue {
			return ok
		}
		return ok && len(vs) > 0 && vs[0] == value
	}
}

// hasAny matches requests carrying any of the query parameters names.
func hasAny(names []string) mux.MatcherFunc {
	return func(r *http.Request, _ *mux.RouteMatch) bool {
		q := targetOf(r).query
		for _, n := range names {
			if _, ok := q[n]; ok {
				return true
			}
		}
		return false
	}
}
