package s3

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3/cors"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3xml"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// DefaultRegion is the region of a node whose configuration names none,
// as Garage's.
const DefaultRegion = "garage"

// Config is the S3 service's configuration ([s3_api] of garage.toml).
type Config struct {
	// Region is the region requests must be signed for (s3_region).
	Region string
	// RootDomain, if set, enables virtual-host-style addressing: a Host
	// of "<bucket><RootDomain>" addresses bucket (root_domain, with its
	// leading dot).
	RootDomain string
	// MaxSkew bounds the difference between a request's date and the
	// node's clock (sigv4.DefaultMaxSkew if zero).
	MaxSkew time.Duration
}

// Service is the S3 API of a node over its object store: authentication,
// authorization and every endpoint, as functions of a Request. It is safe
// for concurrent requests.
type Service struct {
	cfg   Config
	store Store
	clock rt.Clock
	rand  rt.Rand
	log   *slog.Logger
	keys  sigv4.KeyCache
}

// New returns the S3 service of the node whose ports are env, over store.
func New(env rt.Env, store Store, cfg Config) *Service {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	log := env.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, store: store, clock: env.Clock, rand: env.Rand, log: log.With("part", "s3")}
}

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// call is one request being served.
type call struct {
	s      *Service
	ctx    context.Context
	r      *Request
	ep     Endpoint
	id     string
	now    time.Time
	key    *Key // the signing key; nil for anonymous requests
	auth   sigv4.Result
	bucket *Bucket    // the addressed bucket, once resolved
	body   sigv4.Body // the decoded body
}

// Serve answers r, routed to endpoint ep. It never panics: a panic
// becomes an InternalError response. Every response carries a request id.
func (s *Service) Serve(ctx context.Context, ep Endpoint, r *Request) (resp *Response) {
	c := &call{s: s, ctx: ctx, r: r, ep: ep, id: s.RequestID(), now: s.clock.Now()}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving request", "endpoint", ep, "request", c.id, "panic", p)
			resp = c.fail(s3err.New(s3err.InternalError, ""))
		}
		resp.set("X-Amz-Request-Id", c.id)
	}()
	out, err := c.serve()
	if err != nil {
		return c.fail(err)
	}
	c.addCORS(out)
	return out
}

// RequestID returns a fresh request id: 16 hex digits from the node's
// random stream.
func (s *Service) RequestID() string {
	var b [8]byte
	s.rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// fail returns the error response of err.
func (c *call) fail(err error) *Response {
	e := toS3(err)
	if e.Resource == "" {
		e = e.WithResource(c.r.resource())
	}
	if e.Code == s3err.InternalError || e.Code == s3err.ServiceUnavailable {
		c.s.log.Warn("request failed", "endpoint", c.ep, "request", c.id, "err", e)
	}
	resp := errorResponse(e, c.r.Method, c.id)
	c.addCORS(resp)
	return resp
}

// serve authenticates and authorizes the request, then runs its endpoint.
func (c *call) serve() (*Response, error) {
	switch c.ep {
	case NotImplemented:
		return nil, s3err.New(s3err.NotImplemented, "")
	case Options:
		return c.preflight()
	case PostObject:
		return c.postObject()
	}
	if err := c.authenticate(); err != nil {
		return nil, err
	}
	if err := c.authorize(); err != nil {
		return nil, err
	}
	return c.dispatch()
}

// dispatch runs the endpoint of an authorized request: the dispatch
// switch of the service.
func (c *call) dispatch() (*Response, error) {
	switch c.ep {
	case ListBuckets:
		return c.listBuckets()
	case CreateBucket:
		return c.createBucket()
	case DeleteBucket:
		return c.deleteBucket()
	case HeadBucket:
		return c.headBucket()
	case GetBucketLocation:
		return c.getBucketLocation()
	case GetBucketVersioning:
		return c.getBucketVersioning()
	case ListObjects:
		return c.listObjectsV1()
	case ListObjectsV2:
		return c.listObjectsV2()
	case DeleteObjects:
		return c.deleteObjects()
	case ListMultipartUploads:
		return c.listMultipartUploads()
	case GetBucketWebsite, PutBucketWebsite, DeleteBucketWebsite, GetBucketCors, PutBucketCors, DeleteBucketCors,
		GetBucketLifecycle, PutBucketLifecycle, DeleteBucketLifecycle:
		return c.bucketConfig()
	case PutObject:
		return c.putObject()
	case CopyObject:
		return c.copyObject()
	case GetObject:
		return c.getObject()
	case HeadObject:
		return c.headObject()
	case DeleteObject:
		return c.deleteObject()
	case GetObjectTagging:
		return c.getObjectTagging()
	}
	return c.multipart()
}

// bucketConfig runs the endpoints of bucket configurations.
func (c *call) bucketConfig() (*Response, error) {
	switch c.ep {
	case GetBucketWebsite:
		return c.getWebsite()
	case PutBucketWebsite:
		return c.putWebsite()
	case DeleteBucketWebsite:
		return c.deleteWebsite()
	case GetBucketCors:
		return c.getCORS()
	case PutBucketCors:
		return c.putCORS()
	case DeleteBucketCors:
		return c.deleteCORS()
	case GetBucketLifecycle:
		return c.getLifecycle()
	case PutBucketLifecycle:
		return c.putLifecycle()
	}
	return c.deleteLifecycle()
}

// multipart runs the endpoints of multipart uploads.
func (c *call) multipart() (*Response, error) {
	switch c.ep {
	case CreateMultipartUpload:
		return c.createMultipartUpload()
	case UploadPart:
		return c.uploadPart()
	case UploadPartCopy:
		return c.uploadPartCopy()
	case CompleteMultipartUpload:
		return c.completeMultipartUpload()
	case AbortMultipartUpload:
		return c.abortMultipartUpload()
	case ListParts:
		return c.listParts()
	}
	return nil, s3err.New(s3err.NotImplemented, "")
}

// addCORS adds the Access-Control headers of the bucket's CORS rules to
// the response of a request with an Origin header.
func (c *call) addCORS(resp *Response) {
	origin := c.r.Get("Origin")
	if origin == "" || c.bucket == nil || c.bucket.CORS == nil {
		return
	}
	req := cors.Request{Origin: origin, Method: c.r.Method}
	for _, h := range cors.Actual(c.bucket.CORS.Rules, req) {
		resp.set(h.Name, h.Value)
	}
}

// xmlMarshal encodes a response document.
func xmlMarshal(v any) []byte { return s3xml.Marshal(v) }

// errf wraps err with the request's endpoint.
func (c *call) errf(err error) error { return fmt.Errorf("%s %s: %w", c.ep, c.r.resource(), err) }

// Error returns the response of a request, with method, that failed
// before it reached an endpoint (a malformed URI).
func (s *Service) Error(method string, err error) *Response {
	id := s.RequestID()
	resp := errorResponse(toS3(err), method, id)
	resp.set("X-Amz-Request-Id", id)
	return resp
}
