package endpoint

import (
	"context"

	"github.com/gogarage/garage/experiments/workload"
)

// Registers runs the register workload over a Client: register k is the
// object Prefix+k of Bucket, read with GetObject, written with PutObject
// and deleted with RemoveObject. Histories then check S3 semantics. A
// prefix of its own keeps a run's objects apart from those of earlier
// runs on a deployed cluster.
type Registers struct {
	C      Client
	Bucket string
	Prefix string
}

var _ workload.Registers = Registers{}

// Get reads the object of register key.
func (r Registers) Get(ctx context.Context, key string) (string, bool, error) {
	b, found, err := r.C.GetObject(ctx, r.Bucket, r.Prefix+key)
	return string(b), found, err
}

// Put writes value as the object of register key.
func (r Registers) Put(ctx context.Context, key, value string) (uint64, error) {
	return r.C.PutObject(ctx, r.Bucket, r.Prefix+key, []byte(value))
}

// Delete removes the object of register key.
func (r Registers) Delete(ctx context.Context, key string) (uint64, error) {
	return r.C.RemoveObject(ctx, r.Bucket, r.Prefix+key)
}

// OfKind names the endpoint behind a register workload's operation kind
// ("get", "put", "delete"; "" for any other).
func OfKind(kind string) Name {
	return map[string]Name{"get": GetObject, "put": PutObject, "delete": RemoveObject}[kind]
}
