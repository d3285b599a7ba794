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

// dispatch runs the endpoint of an authorized request.
func (c *call) dispatch() (*Response, error) {
	h, ok := c.handlers()[c.ep]
	if !ok {
		return nil, s3err.New(s3err.NotImplemented, "")
	}
	return h()
}

func (c *call) handlers() map[Endpoint]func() (*Response, error) {
	return map[Endpoint]func() (*Response, error){
		ListBuckets: c.listBuckets, CreateBucket: c.createBucket, DeleteBucket: c.deleteBucket,
		HeadBucket: c.headBucket, GetBucketLocation: c.getBucketLocation,
		GetBucketVersioning: c.getBucketVersioning, ListObjects: c.listObjectsV1, ListObjectsV2: c.listObjectsV2,
		DeleteObjects: c.deleteObjects, ListMultipartUploads: c.listMultipartUploads,
		GetBucketWebsite: c.getWebsite, PutBucketWebsite: c.putWebsite, DeleteBucketWebsite: c.deleteWebsite,
		GetBucketCors: c.getCORS, PutBucketCors: c.putCORS, DeleteBucketCors: c.deleteCORS,
		GetBucketLifecycle: c.getLifecycle, PutBucketLifecycle: c.putLifecycle,
		DeleteBucketLifecycle: c.deleteLifecycle, PutObject: c.putObject, CopyObject: c.copyObject,
		GetObject: c.getObject, HeadObject: c.headObject, DeleteObject: c.deleteObject,
		CreateMultipartUpload: c.createMultipartUpload, UploadPart: c.uploadPart,
		UploadPartCopy: c.uploadPartCopy, CompleteMultipartUpload: c.completeMultipartUpload,
		AbortMultipartUpload: c.abortMultipartUpload, ListParts: c.listParts, GetObjectTagging: c.getObjectTagging,
	}
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
