package endpoint

import (
	"context"

	"github.com/gogarage/garage/experiments/workload"
)

// Table is what Debug needs of a workload client: entries by both keys,
// the node's status, and listings. workload.Node and workload.Admin are
// Tables.
type Table interface {
	workload.Entries
	workload.Set
}

var (
	_ Table = workload.Node{}
	_ Table = workload.Admin{}
)

// Debug is the endpoint client over the debug table of the node T reaches
// (see the package documentation for the mapping). Via says how T reaches
// it ("direct call", "admin RPC"), for the api column.
type Debug struct {
	T   Table
	Via string
}

var _ Client = Debug{}

// ListBuckets reads the node's status.
func (d Debug) ListBuckets(ctx context.Context) error { return d.T.Status(ctx) }

// ListObjects reads the first page of bucket's listing.
func (d Debug) ListObjects(ctx context.Context, bucket string, max int) ([]string, error) {
	keys, _, err := d.T.ListPage(ctx, bucket, "", max)
	return keys, err
}

// GetObject reads the entry (bucket, key).
func (d Debug) GetObject(ctx context.Context, bucket, key string) ([]byte, bool, error) {
	return d.T.GetEntry(ctx, bucket, key)
}

// PutObject writes the entry (bucket, key).
func (d Debug) PutObject(ctx context.Context, bucket, key string, body []byte) (uint64, error) {
	return d.T.PutEntry(ctx, bucket, key, body)
}

// RemoveObject deletes the entry (bucket, key).
func (d Debug) RemoveObject(ctx context.Context, bucket, key string) (uint64, error) {
	return d.T.DeleteEntry(ctx, bucket, key)
}

// API names the debug-table operation behind n.
func (d Debug) API(n Name) string {
	op := map[Name]string{
		ListBuckets:  "debug: local status read",
		ListObjects:  "debug: listing page (quorum range read)",
		GetObject:    "debug: register get (quorum read)",
		PutObject:    "debug: register put (read ts + quorum write)",
		RemoveObject: "debug: register delete (read ts + quorum write)",
	}[n]
	if d.Via == "" {
		return op
	}
	return op + " via " + d.Via
}
