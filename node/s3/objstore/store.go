package objstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// Store is the s3.Store over an object service.
type Store struct {
	o *object.Service
}

var _ s3.Store = Store{}

// New returns the store of the object service o.
func New(o *object.Service) Store { return Store{o: o} }

// Key returns an access key, from this node's state.
func (s Store) Key(_ context.Context, id string) (s3.Key, error) {
	k, err := s.o.Key(id)
	if err != nil {
		return s3.Key{}, mapErr(err)
	}
	out := s3.Key{ID: k.ID, Secret: k.Secret, Name: k.Name, AllowCreateBucket: k.AllowCreateBucket,
		Perms: map[s3.BucketID]s3.Perm{}, Aliases: map[string]s3.BucketID{}}
	for _, b := range k.Buckets {
		out.Perms[s3.BucketID(b.ID.String())] = s3.Perm{Read: b.Perm.Read, Write: b.Perm.Write, Owner: b.Perm.Owner}
	}
	for _, a := range k.LocalAliases {
		out.Aliases[a.Name] = s3.BucketID(a.Bucket.String())
	}
	return out, nil
}

// BucketByAlias resolves a global alias, from this node's state.
func (s Store) BucketByAlias(ctx context.Context, name string) (s3.Bucket, error) {
	id, err := s.o.ResolveBucket(name, "")
	if err != nil {
		return s3.Bucket{}, mapErr(err)
	}
	return s.bucket(id)
}

// Bucket returns a bucket, from this node's state.
func (s Store) Bucket(_ context.Context, id s3.BucketID) (s3.Bucket, error) {
	u, err := uuid(string(id))
	if err != nil {
		return s3.Bucket{}, err
	}
	return s.bucket(u)
}

func (s Store) bucket(id model.UUID) (s3.Bucket, error) {
	b, err := s.o.Bucket(id)
	if err != nil {
		return s3.Bucket{}, mapErr(err)
	}
	return bucketOf(b)
}

// bucketOf converts a bucket and parses its stored documents.
func bucketOf(b object.BucketInfo) (s3.Bucket, error) {
	out := s3.Bucket{ID: s3.BucketID(b.ID.String()), Created: b.Created, Aliases: b.Aliases}
	if w := b.Website; w.Enabled {
		out.Website = &s3xml.WebsiteConfiguration{IndexDocument: &s3xml.IndexDocument{Suffix: w.IndexDocument}}
		if w.ErrorDocument != "" {
			out.Website.ErrorDocument = &s3xml.ErrorDocument{Key: w.ErrorDocument}
		}
	}
	if len(b.CORS) > 0 {
		c, err := s3xml.ParseCORSConfiguration(bytes.NewReader(b.CORS))
		if err != nil {
			return out, fmt.Errorf("bucket %s: stored CORS document: %w", b.ID, err)
		}
		out.CORS = &c
	}
	if len(b.Lifecycle) > 0 {
		l, err := s3xml.ParseLifecycleConfiguration(bytes.NewReader(b.Lifecycle))
		if err != nil {
			return out, fmt.Errorf("bucket %s: stored lifecycle document: %w", b.ID, err)
		}
		out.Lifecycle = &l
	}
	return out, nil
}

// AllBuckets returns every bucket, from this node's state.
func (s Store) AllBuckets(context.Context) ([]s3.Bucket, error) {
	bs, err := s.o.ListBuckets()
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]s3.Bucket, 0, len(bs))
	for _, b := range bs {
		sb, err := bucketOf(b)
		if err != nil {
			return nil, err
		}
		out = append(out, sb)
	}
	return out, nil
}

// CreateBucket creates a bucket owned by owner.
func (s Store) CreateBucket(ctx context.Context, name, owner string) (s3.Bucket, error) {
	id, err := s.o.CreateBucket(ctx, name, owner)
	if err != nil {
		return s3.Bucket{}, mapErr(err)
	}
	return s.bucket(id)
}

// DeleteBucket deletes an empty bucket.
func (s Store) DeleteBucket(ctx context.Context, id s3.BucketID) error {
	u, err := uuid(string(id))
	if err != nil {
		return err
	}
	return mapErr(s.o.DeleteBucket(ctx, u))
}

// SetBucketConfig stores one configuration: the website as the model
// keeps it (index and error documents: redirections are refused), CORS
// and lifecycle as their XML documents.
func (s Store) SetBucketConfig(ctx context.Context, id s3.BucketID, c s3.BucketConfig) error {
	u, err := uuid(string(id))
	if err != nil {
		return err
	}
	switch c.Which {
	case s3.ConfigWebsite:
		w, err := website(c.Website)
		if err != nil {
			return err
		}
		return mapErr(s.o.SetWebsite(ctx, u, w))
	case s3.ConfigCORS:
		return mapErr(s.o.SetCORS(ctx, u, document(c.CORS != nil, c.CORS)))
	case s3.ConfigLifecycle:
		return mapErr(s.o.SetLifecycle(ctx, u, document(c.Lifecycle != nil, c.Lifecycle)))
	}
	return fmt.Errorf("set bucket config: unknown kind %d", c.Which)
}

// website converts a website configuration to the model's.
func website(w *s3xml.WebsiteConfiguration) (model.Website, error) {
	if w == nil {
		return model.Website{}, nil
	}
	if w.RedirectAllRequestsTo != nil || len(w.RoutingRules) > 0 {
		return model.Website{}, s3err.New(s3err.NotImplemented, "Website redirections are not supported.")
	}
	out := model.Website{Enabled: true, IndexDocument: "index.html"}
	if w.IndexDocument != nil {
		out.IndexDocument = w.IndexDocument.Suffix
	}
	if w.ErrorDocument != nil {
		out.ErrorDocument = w.ErrorDocument.Key
	}
	return out, nil
}

// document returns the XML of v, or nil when absent.
func document(present bool, v any) []byte {
	if !present {
		return nil
	}
	return s3xml.Marshal(v)
}

// bucketUUID parses a bucket id.
func bucketUUID(id s3.BucketID) (model.UUID, error) { return uuid(string(id)) }

// Head returns an object's metadata: one quorum round trip.
func (s Store) Head(ctx context.Context, b s3.BucketID, key string) (s3.Object, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.Object{}, err
	}
	c, err := s.o.Head(ctx, u, key, object.GetOptions{})
	if err != nil {
		return s3.Object{}, mapErr(err)
	}
	return objectOf(c.ObjectInfo, c.Parts), nil
}

// Get returns an object and its bytes: one quorum round trip for a small
// object.
func (s Store) Get(ctx context.Context, b s3.BucketID, key string) (s3.Object, io.ReadCloser, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.Object{}, nil, err
	}
	c, err := s.o.Get(ctx, u, key, object.GetOptions{})
	if err != nil {
		return s3.Object{}, nil, mapErr(err)
	}
	return objectOf(c.ObjectInfo, c.Parts), c.Body, nil
}

// Read returns stored bytes of the version o: a Get of the range, whose
// version must still be o's.
func (s Store) Read(ctx context.Context, o s3.Object, start, length int64) (io.ReadCloser, error) {
	u, err := bucketUUID(o.Bucket)
	if err != nil {
		return nil, err
	}
	rng := func(size int64) (int64, int64, error) {
		if start > size {
			return 0, 0, s3.ErrChanged
		}
		return start, min(length, size-start), nil
	}
	c, err := s.o.Get(ctx, u, o.Key, object.GetOptions{Range: rng})
	if err != nil {
		return nil, mapErr(err)
	}
	if c.Version != o.Handle {
		c.Body.Close()
		return nil, fmt.Errorf("read %s: %w", o.Key, s3.ErrChanged)
	}
	return c.Body, nil
}

// Part returns the bounds of part n of the multipart version o: two
// quorum round trips.
func (s Store) Part(ctx context.Context, o s3.Object, n int) (int64, int64, error) {
	u, err := bucketUUID(o.Bucket)
	if err != nil {
		return 0, 0, err
	}
	c, err := s.o.Head(ctx, u, o.Key, object.GetOptions{PartNumber: n})
	if err != nil {
		return 0, 0, mapErr(err)
	}
	if c.Version != o.Handle {
		return 0, 0, fmt.Errorf("part %d of %s: %w", n, o.Key, s3.ErrChanged)
	}
	return c.Start, c.Length, nil
}

// Put stores an object. A checksum computed from the body (a trailer's,
// or one only asked for) is written into the metadata's checksum buffer
// when the body reaches its end: object.Put stores the metadata it was
// given once the body is read.
func (s Store) Put(ctx context.Context, b s3.BucketID, key string, in s3.PutInput) (s3.Object, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.Object{}, err
	}
	meta := toModel(in.Meta)
	body := in.Body
	if a := in.Meta.Checksum.Algorithm; a != 0 && in.Sums != nil {
		meta.Checksum.Value = make([]byte, a.Size())
		body = &atEOF{r: body, fn: func() { copy(meta.Checksum.Value, in.Sums().Sum) }}
	}
	info, err := s.o.Put(ctx, u, key, body, meta)
	if err != nil {
		return s3.Object{}, mapErr(err)
	}
	return objectOf(info, 0), nil
}

// atEOF calls fn when its reader reaches io.EOF.
type atEOF struct {
	r    io.Reader
	fn   func()
	done bool
}

func (a *atEOF) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err == io.EOF && !a.done {
		a.done = true
		a.fn()
	}
	return n, err
}

// Copy makes (b, key) a copy of src's key, sharing its blocks.
func (s Store) Copy(ctx context.Context, src s3.Object, b s3.BucketID, key string, meta s3.ObjectMeta) (s3.Object, error) {
	su, err := bucketUUID(src.Bucket)
	if err != nil {
		return s3.Object{}, err
	}
	du, err := bucketUUID(b)
	if err != nil {
		return s3.Object{}, err
	}
	m := toModel(meta)
	info, err := s.o.Copy(ctx, su, src.Key, du, key, &m)
	if err != nil {
		return s3.Object{}, mapErr(err)
	}
	return objectOf(info, src.Meta.PartCount), nil
}

// Delete writes a delete marker.
func (s Store) Delete(ctx context.Context, b s3.BucketID, key string) (time.Time, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return time.Time{}, err
	}
	info, err := s.o.Delete(ctx, u, key)
	if err != nil {
		return time.Time{}, mapErr(err)
	}
	return info.LastModified(), nil
}

// List returns a page of a bucket's objects.
func (s Store) List(ctx context.Context, b s3.BucketID, q s3.ListQuery) (s3.ListPage, error) {
	u, err := bucketUUID(b)
	if err != nil {
		return s3.ListPage{}, err
	}
	p, err := s.o.List(ctx, u, object.ListOptions{Prefix: q.Prefix, Delimiter: q.Delimiter, StartAfter: q.StartAfter,
		Token: q.Token, MaxKeys: q.Max})
	if err != nil {
		return s3.ListPage{}, mapErr(err)
	}
	out := s3.ListPage{Prefixes: p.CommonPrefixes, Truncated: p.Truncated, Next: p.Next, NextMarker: p.NextMarker}
	for _, o := range p.Objects {
		m := fromModel(o.Meta)
		out.Objects = append(out.Objects, s3.ObjectEntry{Key: o.Key, Modified: o.LastModified(), ETag: m.ETag,
			Size: m.Size, Checksum: m.Checksum.Algorithm})
	}
	return out, nil
}
