package object

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/table"
)

// BucketInfo describes a bucket.
type BucketInfo struct {
	ID           model.UUID
	Created      time.Time
	Aliases      []string     // global names, sorted
	LocalAliases []LocalAlias // names in access keys' namespaces
	Keys         []KeyPerm    // keys with some permission, by key id
	Website      model.Website
	CORS         []byte // the S3 layer's document, nil for none
	Lifecycle    []byte
	Quotas       model.Quotas
}

// LocalAlias is a bucket name in one access key's namespace.
type LocalAlias struct {
	KeyID, Name string
}

// KeyPerm is an access key's permission on a bucket.
type KeyPerm struct {
	KeyID string
	Perm  model.Perm
}

// CheckBucketName applies Garage's rules to a bucket name: 3 to 63
// lowercase letters, digits, dots and hyphens, starting and ending with a
// letter or digit.
func CheckBucketName(name string) error {
	ok := len(name) >= 3 && len(name) <= 63 && alnum(name[0]) && alnum(name[len(name)-1])
	for i := range len(name) {
		ok = ok && (alnum(name[i]) || name[i] == '.' || name[i] == '-')
	}
	if !ok {
		return fmt.Errorf("bucket name %q: %w (3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit)", name, ErrInvalidName)
	}
	return nil
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// liveBucket returns this node's copy of bucket id (the bucket table is
// fully replicated and read locally).
func (s *Service) liveBucket(id model.UUID) (model.BucketParams, error) {
	b, ok, err := s.t.Buckets.LocalGet(nil, id[:])
	if err != nil {
		return model.BucketParams{}, err
	}
	p, live := b.Params()
	if !ok || !live {
		return model.BucketParams{}, fmt.Errorf("bucket %s: %w", id, ErrNoSuchBucket)
	}
	return p, nil
}

// Bucket returns the description of bucket id, from this node's state.
func (s *Service) Bucket(id model.UUID) (BucketInfo, error) {
	p, err := s.liveBucket(id)
	if err != nil {
		return BucketInfo{}, err
	}
	return bucketInfo(id, p), nil
}

func bucketInfo(id model.UUID, p model.BucketParams) BucketInfo {
	in := BucketInfo{ID: id, Created: time.UnixMilli(int64(p.Created.V)).UTC(), Website: p.Website.Value(),
		CORS: p.CORS.Value(), Lifecycle: p.Lifecycle.Value(), Quotas: p.Quotas.Value()}
	for name, on := range p.Aliases.All() {
		if on {
			in.Aliases = append(in.Aliases, string(name))
		}
	}
	for k, on := range p.LocalAliases.All() {
		if keyID, name, ok := strings.Cut(string(k), "\x00"); ok && bool(on) {
			in.LocalAliases = append(in.LocalAliases, LocalAlias{KeyID: keyID, Name: name})
		}
	}
	for keyID, perm := range p.Keys.All() {
		if perm.Any() {
			in.Keys = append(in.Keys, KeyPerm{KeyID: string(keyID), Perm: perm})
		}
	}
	return in
}

// ListBuckets returns every bucket, from this node's state, by id.
func (s *Service) ListBuckets() ([]BucketInfo, error) {
	var out []BucketInfo
	err := s.t.Buckets.LocalScan(nil, func(b model.Bucket) bool {
		if p, ok := b.Params(); ok {
			out = append(out, bucketInfo(b.ID, p))
		}
		return true
	})
	return out, err
}

// ResolveBucket returns the bucket that name designates for access key
// keyID ("" for none): the key's local alias of that name if it has one,
// else the global alias. It reads this node's state only.
func (s *Service) ResolveBucket(name, keyID string) (model.UUID, error) {
	if keyID != "" {
		if k, err := s.liveKey(keyID); err == nil {
			if t, ok := k.LocalAliases.Get(crdt.String(name)); ok && t.Set {
				return t.ID, nil
			}
		}
	}
	a, ok, err := s.t.Aliases.LocalGet(nil, []byte(name))
	if err != nil {
		return model.UUID{}, err
	}
	if id, set := a.Bucket(); ok && set {
		if _, err := s.liveBucket(id); err == nil {
			return id, nil
		}
	}
	return model.UUID{}, fmt.Errorf("bucket %q: %w", name, ErrNoSuchBucket)
}

// CreateBucket creates a bucket with the global name name and returns
// its id; if owner is an access key id, the key gets read, write and
// owner permissions on it. It fails with ErrBucketExists if the name is
// taken.
func (s *Service) CreateBucket(ctx context.Context, name, owner string) (model.UUID, error) {
	if err := CheckBucketName(name); err != nil {
		return model.UUID{}, err
	}
	if _, err := s.ResolveBucket(name, ""); err == nil {
		return model.UUID{}, fmt.Errorf("create bucket %q: %w", name, ErrBucketExists)
	}
	if owner != "" {
		if _, err := s.liveKey(owner); err != nil {
			return model.UUID{}, fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	id, now := model.NewUUID(s.env.Rand), s.now()
	b := model.NewBucket(id, now)
	p, _ := b.Params()
	p.Aliases = p.Aliases.Set(now, crdt.String(name), true)
	if err := s.t.Buckets.Insert(ctx, model.Bucket{ID: id, State: crdt.Present(p)}); err != nil {
		return id, fmt.Errorf("create bucket %q: %w", name, err)
	}
	alias := model.BucketAlias{Name: name, Target: crdt.NewLWW(now, model.Some(id))}
	if err := s.t.Aliases.Insert(ctx, alias); err != nil {
		return id, fmt.Errorf("create bucket %q: alias: %w", name, err)
	}
	if owner != "" {
		return id, s.SetPermission(ctx, id, owner, model.Perm{Read: true, Write: true, Owner: true})
	}
	return id, nil
}

// updateBucket applies fn to this node's copy of bucket id and writes the
// result.
func (s *Service) updateBucket(ctx context.Context, id model.UUID, fn func(p model.BucketParams) model.BucketParams) error {
	p, err := s.liveBucket(id)
	if err != nil {
		return err
	}
	return s.t.Buckets.Insert(ctx, model.Bucket{ID: id, State: crdt.Present(fn(p))})
}

// SetWebsite sets bucket id's website configuration.
func (s *Service) SetWebsite(ctx context.Context, id model.UUID, w model.Website) error {
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.Website = p.Website.Update(s.now(), w)
		return p
	})
}

// SetCORS sets bucket id's CORS document (nil: none).
func (s *Service) SetCORS(ctx context.Context, id model.UUID, doc []byte) error {
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.CORS = p.CORS.Update(s.now(), doc)
		return p
	})
}

// SetLifecycle sets bucket id's lifecycle document (nil: none).
func (s *Service) SetLifecycle(ctx context.Context, id model.UUID, doc []byte) error {
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.Lifecycle = p.Lifecycle.Update(s.now(), doc)
		return p
	})
}

// SetQuotas sets bucket id's quotas (zero fields: no limit).
func (s *Service) SetQuotas(ctx context.Context, id model.UUID, q model.Quotas) error {
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.Quotas = p.Quotas.Update(s.now(), q)
		return p
	})
}

// BucketCounts returns bucket id's counters, read from a quorum.
func (s *Service) BucketCounts(ctx context.Context, id model.UUID) (model.Counts, error) {
	return s.t.Counts(ctx, id)
}

// DeleteBucket deletes bucket id, which must hold no object and no
// upload in progress: its aliases and permissions go first, then the
// bucket.
func (s *Service) DeleteBucket(ctx context.Context, id model.UUID) error {
	p, err := s.liveBucket(id)
	if err != nil {
		return err
	}
	objs, err := s.t.Objects.GetRange(ctx, id[:], nil, table.Filter{Live: true}, 1, false)
	if err != nil {
		return fmt.Errorf("delete bucket %s: %w", id, err)
	}
	if len(objs) > 0 {
		return fmt.Errorf("delete bucket %s: %w", id, ErrBucketNotEmpty)
	}
	in := bucketInfo(id, p)
	for _, name := range in.Aliases {
		if err := s.setGlobalAlias(ctx, name, model.OptUUID{}, id); err != nil {
			return err
		}
	}
	for _, la := range in.LocalAliases {
		if err := s.unaliasLocal(ctx, id, la.KeyID, la.Name); err != nil {
			return err
		}
	}
	for _, kp := range in.Keys {
		if err := s.SetPermission(ctx, id, kp.KeyID, model.Perm{}); err != nil {
			return err
		}
	}
	return s.t.Buckets.Insert(ctx, model.Bucket{ID: id, State: crdt.Deleted[model.BucketParams]()})
}
