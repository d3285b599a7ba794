package endpoint

import (
	"context"

	"github.com/gogarage/garage/experiments/workload"
)

// Registers runs the register workload over a Client: register k is the
// object k of Bucket, read with GetObject, written with PutObject and
// deleted with RemoveObject. Histories then check S3 semantics.
type Registers struct {
	C      Client
	Bucket string
	// Spread puts each object in a bucket of its own (BucketOf), so that
	// objects spread over the partitions as data blocks do, rather than
	// sharing their bucket's partition.
	Spread bool
}

// BucketOf returns the bucket of object key.
func (r Registers) BucketOf(key string) string {
	if r.Spread {
		return r.Bucket + "-" + key
	}
	return r.Bucket
}

var _ workload.Registers = Registers{}

// Get reads the object key.
func (r Registers) Get(ctx context.Context, key string) (string, bool, error) {
	b, found, err := r.C.GetObject(ctx, r.BucketOf(key), key)
	return string(b), found, err
}

// Put writes value as the object key.
func (r Registers) Put(ctx context.Context, key, value string) (uint64, error) {
	return r.C.PutObject(ctx, r.BucketOf(key), key, []byte(value))
}

// Delete removes the object key.
func (r Registers) Delete(ctx context.Context, key string) (uint64, error) {
	return r.C.RemoveObject(ctx, r.BucketOf(key), key)
}

// OfKind names the endpoint behind a register workload's operation kind
// ("get", "put", "delete"; "" for any other).
func OfKind(kind string) Name {
	return map[string]Name{"get": GetObject, "put": PutObject, "delete": RemoveObject}[kind]
}
