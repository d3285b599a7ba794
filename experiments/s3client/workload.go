package s3client

import (
	"context"
	"strings"

	"github.com/gogarage/garage/experiments/workload"
)

// Registers are the register workload's registers as objects of one
// bucket: a register's value is its object's body.
type Registers struct {
	C      *Client
	Bucket string
}

var (
	_ workload.Registers = Registers{}
	_ workload.Set       = Set{}
)

// Get reads the object key.
func (r Registers) Get(ctx context.Context, key string) (string, bool, error) {
	o, err := r.C.GetObject(ctx, r.Bucket, key)
	return string(o.Body), o.Found, err
}

// Put writes value as the object key.
func (r Registers) Put(ctx context.Context, key, value string) (uint64, error) {
	w, err := r.C.PutObject(ctx, r.Bucket, key, []byte(value), nil)
	return w.TS, err
}

// Delete deletes the object key.
func (r Registers) Delete(ctx context.Context, key string) (uint64, error) {
	w, err := r.C.DeleteObject(ctx, r.Bucket, key)
	return w.TS, err
}

// Set is the set workload's sets as prefixes of one bucket: element e of
// set s is the object "s/e".
type Set struct {
	C      *Client
	Bucket string
}

// Add writes the element's object.
func (s Set) Add(ctx context.Context, set, elem string) error {
	_, err := s.C.PutObject(ctx, s.Bucket, set+"/"+elem, []byte{1}, nil)
	return err
}

// Remove deletes the element's object.
func (s Set) Remove(ctx context.Context, set, elem string) error {
	_, err := s.C.DeleteObject(ctx, s.Bucket, set+"/"+elem)
	return err
}

// ListPage lists a page of the set's prefix; the cursor is the listing's
// continuation token.
func (s Set) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	p, err := s.C.List(ctx, s.Bucket, set+"/", "", cursor, limit)
	if err != nil {
		return nil, "", err
	}
	elems := make([]string, len(p.Keys))
	for i, k := range p.Keys {
		elems[i] = strings.TrimPrefix(k, set+"/")
	}
	return elems, p.Next, nil
}
