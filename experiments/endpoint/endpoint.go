package endpoint

import (
	"context"
	"time"
)

// Name is an S3 endpoint as the figures label it.
type Name string

// The measured endpoints.
const (
	ListBuckets  Name = "ListBuckets"
	ListObjects  Name = "ListObjects"
	GetObject    Name = "GetObject"
	PutObject    Name = "PutObject"
	RemoveObject Name = "RemoveObject"
)

// All returns the endpoints in the order of the figures.
func All() []Name { return []Name{ListBuckets, ListObjects, GetObject, PutObject, RemoveObject} }

// Strings returns names as strings, for category orders and stats kinds.
func Strings(names []Name) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return out
}

// Client sends the measured requests to one node of a cluster. Each method
// is one request; errors are the request's failure (a timeout included).
// Implementations are safe for use by one task at a time; make one client
// per concurrent task.
type Client interface {
	ListBuckets(ctx context.Context) error
	// ListObjects lists up to max keys of bucket, from the first.
	ListObjects(ctx context.Context, bucket string, max int) (keys []string, err error)
	// GetObject returns the object's body, or found false if there is none.
	GetObject(ctx context.Context, bucket, key string) (body []byte, found bool, err error)
	// PutObject stores body under key and returns the write's
	// last-writer-wins timestamp if the API reports one (0 if not).
	PutObject(ctx context.Context, bucket, key string, body []byte) (ts uint64, err error)
	// RemoveObject deletes key, returning a timestamp as PutObject does.
	RemoveObject(ctx context.Context, bucket, key string) (ts uint64, err error)
	// API describes, per endpoint, what the request is on the node:
	// written in the api column of the CSV files.
	API(n Name) string
}

// Reference is a published mean latency of one endpoint.
type Reference struct {
	Source   string
	Endpoint Name
	Mean     time.Duration
}

// Published sources.
const (
	Garage050 = "Garage 0.5.0 (published)"
	MinIO     = "MinIO (published)"
)

// Published returns the means of Garage's latency talk (Garage 0.5.0 and
// MinIO, 5 nodes, 100 ms RTT ± 20 ms), in the order of All. Garage's
// ListBuckets is given as ≈ 1–2 ms: drawn as 1.5.
func Published() []Reference {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	var out []Reference
	for _, r := range []struct {
		src  string
		vals [5]float64 // in the order of All
	}{
		{Garage050, [5]float64{1.5, 241, 129, 121, 250}},
		{MinIO, [5]float64{111, 258, 546, 1188, 1312}},
	} {
		for i, n := range All() {
			out = append(out, Reference{Source: r.src, Endpoint: n, Mean: ms(r.vals[i])})
		}
	}
	return out
}
