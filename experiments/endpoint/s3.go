package endpoint

import (
	"context"

	"github.com/gogarage/garage/experiments/s3client"
)

// S3 is the endpoint client over the S3 API: every endpoint is one
// SigV4-signed request built by s3client and sent through C's Doer —
// straight into a node's HTTP handler from a simulator task, or over HTTP
// to a real node's [s3_api]. Via says which ("simulated node's handler",
// "HTTP"), for the api column.
type S3 struct {
	C   *s3client.Client
	Via string
}

var _ Client = S3{}

// ListBuckets sends GET / (ListBuckets).
func (s S3) ListBuckets(ctx context.Context) error {
	_, err := s.C.ListBuckets(ctx)
	return err
}

// ListObjects sends one ListObjectsV2 request: the first page of bucket.
func (s S3) ListObjects(ctx context.Context, bucket string, max int) ([]string, error) {
	p, err := s.C.List(ctx, bucket, "", "", "", max)
	return p.Keys, err
}

// GetObject sends GetObject; a missing object (NoSuchKey) is found false.
func (s S3) GetObject(ctx context.Context, bucket, key string) ([]byte, bool, error) {
	o, err := s.C.GetObject(ctx, bucket, key)
	return o.Body, o.Found, err
}

// PutObject sends PutObject and returns the timestamp the node reports.
func (s S3) PutObject(ctx context.Context, bucket, key string, body []byte) (uint64, error) {
	w, err := s.C.PutObject(ctx, bucket, key, body, nil)
	return w.TS, err
}

// RemoveObject sends DeleteObject and returns the timestamp the node
// reports.
func (s S3) RemoveObject(ctx context.Context, bucket, key string) (uint64, error) {
	w, err := s.C.DeleteObject(ctx, bucket, key)
	return w.TS, err
}

// API names the S3 request behind n and how it reached the node.
func (s S3) API(n Name) string {
	req := map[Name]string{
		ListBuckets:  "S3 ListBuckets (GET /)",
		ListObjects:  "S3 ListObjectsV2 (first page)",
		GetObject:    "S3 GetObject",
		PutObject:    "S3 PutObject",
		RemoveObject: "S3 DeleteObject",
	}[n]
	if s.Via == "" {
		return req
	}
	return req + " via " + s.Via
}
