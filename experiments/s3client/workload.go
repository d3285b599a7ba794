package s3client

import (
	"context"
	"strings"

	"github.com/gogarage/garage/experiments/workload"
)

// Set is the set workload's sets as prefixes of one bucket: element e of
// set s is the object "s/e".
type Set struct {
	C      *Client
	Bucket string
}

var _ workload.Set = Set{}

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
