package workload

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// Registers is what the register workload needs: last-writer-wins
// registers by key, each write returning the timestamp it was given.
type Registers interface {
	// Get returns the register's value, or found false if it was never
	// written or is deleted.
	Get(ctx context.Context, key string) (value string, found bool, err error)
	Put(ctx context.Context, key, value string) (ts uint64, err error)
	Delete(ctx context.Context, key string) (ts uint64, err error)
}

// Set is what the set workload needs: adds, removes and a paginated
// listing. A listing starts with an empty cursor; a page returns the
// elements present among the next entries and the cursor of the next page
// ("" after the last page).
type Set interface {
	Add(ctx context.Context, set, elem string) error
	Remove(ctx context.Context, set, elem string) error
	ListPage(ctx context.Context, set, cursor string, limit int) (elems []string, next string, err error)
}

// Entries is the debug table addressed by both of its keys, and the
// node's own status: what the experiments' endpoint client maps the S3
// endpoints onto until the S3 API replaces it (an object is the entry
// (bucket, key); a bucket listing is a Set listing of the bucket).
type Entries interface {
	// GetEntry reads (pk, sk) from a read quorum; found is false if it
	// was never written or is deleted.
	GetEntry(ctx context.Context, pk, sk string) (value []byte, found bool, err error)
	// PutEntry writes value under (pk, sk) and returns its timestamp.
	PutEntry(ctx context.Context, pk, sk string, value []byte) (ts uint64, err error)
	// DeleteEntry deletes (pk, sk) and returns the tombstone's timestamp.
	DeleteEntry(ctx context.Context, pk, sk string) (ts uint64, err error)
	// Status reads the node's own view of the cluster: a local read that
	// asks no other node.
	Status(ctx context.Context) error
}

// Env is what a client needs from its world: a clock for latencies and
// think times, and contexts with timeouts.
type Env struct {
	Clock rt.Clock
	Tasks rt.Tasks
}

// Node is a client of an assembled node, called directly: the node (the
// current incarnation, in the simulator) is N().
type Node struct {
	N func() *garage.Node
}

var (
	_ Registers = Node{}
	_ Set       = Node{}
	_ Entries   = Node{}
)

// Get reads the register key of the node's debug table.
func (c Node) Get(ctx context.Context, key string) (string, bool, error) {
	r, err := c.N().KV().Get(ctx, key, "")
	return string(r.Value), r.Found, err
}

// Put writes value under key.
func (c Node) Put(ctx context.Context, key, value string) (uint64, error) {
	return c.N().KV().Put(ctx, key, "", []byte(value))
}

// Delete deletes key.
func (c Node) Delete(ctx context.Context, key string) (uint64, error) {
	return c.N().KV().Delete(ctx, key, "")
}

// Add writes elem into set as present.
func (c Node) Add(ctx context.Context, set, elem string) error {
	_, err := c.N().KV().Put(ctx, set, elem, []byte{1})
	return err
}

// Remove deletes elem from set.
func (c Node) Remove(ctx context.Context, set, elem string) error {
	_, err := c.N().KV().Delete(ctx, set, elem)
	return err
}

// ListPage lists set after cursor.
func (c Node) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	items, next, err := c.N().KV().List(ctx, set, cursor, limit)
	return sorts(items), next, err
}

// GetEntry reads (pk, sk).
func (c Node) GetEntry(ctx context.Context, pk, sk string) ([]byte, bool, error) {
	r, err := c.N().KV().Get(ctx, pk, sk)
	return r.Value, r.Found, err
}

// PutEntry writes value under (pk, sk).
func (c Node) PutEntry(ctx context.Context, pk, sk string, value []byte) (uint64, error) {
	return c.N().KV().Put(ctx, pk, sk, value)
}

// DeleteEntry deletes (pk, sk).
func (c Node) DeleteEntry(ctx context.Context, pk, sk string) (uint64, error) {
	return c.N().KV().Delete(ctx, pk, sk)
}

// Status reads the node's view of the cluster, locally.
func (c Node) Status(context.Context) error {
	c.N().Status()
	return nil
}

// Admin is a client of a node's admin endpoints over the RPC mesh: what a
// client of a real process uses (and what the simulator's operator uses).
type Admin struct {
	A *garage.Admin
}

var (
	_ Registers = Admin{}
	_ Set       = Admin{}
	_ Entries   = Admin{}
)

// Get reads the register key.
func (c Admin) Get(ctx context.Context, key string) (string, bool, error) {
	r, err := c.A.Get(ctx, key, "")
	return string(r.Value), r.Found, err
}

// Put writes value under key.
func (c Admin) Put(ctx context.Context, key, value string) (uint64, error) {
	return c.A.Put(ctx, key, "", []byte(value))
}

// Delete deletes key.
func (c Admin) Delete(ctx context.Context, key string) (uint64, error) {
	return c.A.Delete(ctx, key, "")
}

// Add writes elem into set as present.
func (c Admin) Add(ctx context.Context, set, elem string) error {
	_, err := c.A.Put(ctx, set, elem, []byte{1})
	return err
}

// Remove deletes elem from set.
func (c Admin) Remove(ctx context.Context, set, elem string) error {
	_, err := c.A.Delete(ctx, set, elem)
	return err
}

// ListPage lists set after cursor.
func (c Admin) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	items, next, err := c.A.List(ctx, set, cursor, limit)
	if err != nil {
		return nil, "", fmt.Errorf("list %s after %q: %w", set, cursor, err)
	}
	return sorts(items), next, nil
}

// GetEntry reads (pk, sk).
func (c Admin) GetEntry(ctx context.Context, pk, sk string) ([]byte, bool, error) {
	r, err := c.A.Get(ctx, pk, sk)
	return r.Value, r.Found, err
}

// PutEntry writes value under (pk, sk).
func (c Admin) PutEntry(ctx context.Context, pk, sk string, value []byte) (uint64, error) {
	return c.A.Put(ctx, pk, sk, value)
}

// DeleteEntry deletes (pk, sk).
func (c Admin) DeleteEntry(ctx context.Context, pk, sk string) (uint64, error) {
	return c.A.Delete(ctx, pk, sk)
}

// Status asks the node for its view of the cluster (one call to the
// node, which answers from its own state).
func (c Admin) Status(ctx context.Context) error {
	_, err := c.A.Status(ctx)
	return err
}

func sorts(items []garage.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Sort
	}
	return out
}
