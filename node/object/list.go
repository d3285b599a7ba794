package object

import (
	"context"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/table"
)

// DefaultMaxKeys is the page size of a listing that names none.
const DefaultMaxKeys = 1000

// ListOptions select a page of a bucket's listing.
type ListOptions struct {
	Prefix string
	// Delimiter groups the keys that contain it after Prefix into common
	// prefixes (up to and including its first occurrence); it may be
	// several characters long.
	Delimiter string
	// StartAfter lists only the keys after it (ListObjectsV2 start-after,
	// ListObjects marker). A common prefix skips its whole group.
	StartAfter string
	// Token resumes a listing where the previous page stopped (its Next);
	// it wins over StartAfter.
	Token string
	// MaxKeys bounds the keys and common prefixes returned;
	// DefaultMaxKeys if negative.
	MaxKeys int
}

// ListPage is a page of a listing, in key order.
type ListPage struct {
	Objects        []ObjectInfo
	CommonPrefixes []string
	Truncated      bool
	// Next is the Token of the next page, when truncated. It is a key,
	// possibly not valid UTF-8: the S3 layer encodes it.
	Next string
	// NextMarker is the last key or common prefix returned, when
	// truncated (ListObjects' NextMarker).
	NextMarker string
}

// List returns a page of the objects of bucket that have a visible
// version (delete markers and uploads in progress are skipped). A page
// without common prefixes is one range read of the object table: one
// quorum round trip; each common prefix costs another, as the read skips
// past its group.
func (s *Service) List(ctx context.Context, bucket model.UUID, o ListOptions) (ListPage, error) {
	if _, err := s.liveBucket(bucket); err != nil {
		return ListPage{}, err
	}
	maxKeys := o.MaxKeys
	if maxKeys < 0 {
		maxKeys = DefaultMaxKeys
	}
	var page ListPage
	count := 0
	w := walk{s: s, bucket: bucket, filter: model.FilterData, prefix: o.Prefix, delim: o.Delimiter}
	next, more, err := w.run(ctx, w.start(o.StartAfter, o.Token), func() int { return maxKeys - count },
		func(obj model.Object, cp string) bool {
			if count == maxKeys {
				return false
			}
			count++
			if cp != "" {
				page.CommonPrefixes, page.NextMarker = append(page.CommonPrefixes, cp), cp
				return true
			}
			v, _ := obj.Visible()
			page.Objects, page.NextMarker = append(page.Objects, infoOf(bucket, obj.Key, v)), obj.Key
			return true
		})
	if err != nil {
		return ListPage{}, fmt.Errorf("list bucket %s: %w", bucket, err)
	}
	if page.Truncated, page.Next = more, next; !more {
		page.NextMarker = ""
	}
	return page, nil
}

// walk runs through the objects of a bucket that pass a filter, in key
// order, from a start key, under a prefix, grouping keys into common
// prefixes.
type walk struct {
	s             *Service
	bucket        model.UUID
	filter        model.ObjectFilter
	prefix, delim string
}

// start returns the first key to read: the prefix, after startAfter
// (past its group if it is a common prefix), or the token.
func (w walk) start(startAfter, token string) string {
	start := w.prefix
	if token != "" {
		return max(start, token)
	}
	if startAfter == "" {
		return start
	}
	after := startAfter + "\x00"
	if cp, ok := w.group(startAfter); ok && cp == startAfter {
		if next, ok := successor(cp); ok {
			after = next
		}
	}
	return max(start, after)
}

// group returns the common prefix key belongs to, if any.
func (w walk) group(key string) (string, bool) {
	if w.delim == "" || !strings.HasPrefix(key, w.prefix) {
		return "", false
	}
	i := strings.Index(key[len(w.prefix):], w.delim)
	if i < 0 {
		return "", false
	}
	return key[:len(w.prefix)+i+len(w.delim)], true
}

// run calls fn with each object (cp "") or common prefix (obj zero) from
// start, reading want()+1 objects at a time, until fn returns false or
// the objects under the prefix end. It returns whether fn stopped it, and
// then the key to resume at (that of the item fn refused).
func (w walk) run(ctx context.Context, start string, want func() int, fn func(obj model.Object, cp string) bool) (string, bool, error) {
	for {
		limit := max(want(), 0) + 1
		es, err := w.s.t.Objects.GetRange(ctx, w.bucket[:], []byte(start), table.Filter{Custom: w.filter.Custom()}, limit, false)
		if err != nil {
			return "", false, err
		}
		regroup := false
		for _, e := range es {
			if !strings.HasPrefix(e.Key, w.prefix) {
				return "", false, nil // keys from start on sort after the prefix's
			}
			cp, grouped := w.group(e.Key)
			if grouped {
				cp = strings.Clone(cp)
			}
			if !fn(e, cp) {
				return e.Key, true, nil
			}
			if !grouped {
				start = e.Key + "\x00"
				continue
			}
			next, ok := successor(cp)
			if !ok {
				return "", false, nil
			}
			start, regroup = next, true
			break
		}
		if !regroup && len(es) < limit {
			return "", false, nil
		}
	}
}

// successor returns the smallest key after every key that starts with p,
// and false if there is none (p is all 0xff bytes).
func successor(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
