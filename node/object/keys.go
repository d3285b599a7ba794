package object

import (
	"context"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/model"
)

// KeyInfo describes an access key.
type KeyInfo struct {
	ID, Name, Secret  string
	AllowCreateBucket bool
	Buckets           []KeyBucket // buckets with some permission, by id
	LocalAliases      []KeyAlias  // names in the key's namespace, by name
}

// KeyBucket is a key's permission on one bucket.
type KeyBucket struct {
	ID   model.UUID
	Perm model.Perm
}

// KeyAlias is a name in a key's namespace.
type KeyAlias struct {
	Name   string
	Bucket model.UUID
}

func keyInfo(id string, p model.KeyParams) KeyInfo {
	in := KeyInfo{ID: id, Name: string(p.Name.Value()), Secret: string(p.Secret.V),
		AllowCreateBucket: bool(p.AllowCreateBucket.Value())}
	for b, perm := range p.Buckets.All() {
		if u, err := model.ParseUUID(string(b)); err == nil && perm.Any() {
			in.Buckets = append(in.Buckets, KeyBucket{ID: u, Perm: perm})
		}
	}
	for name, t := range p.LocalAliases.All() {
		if t.Set {
			in.LocalAliases = append(in.LocalAliases, KeyAlias{Name: string(name), Bucket: t.ID})
		}
	}
	return in
}

// liveKey returns this node's copy of access key id.
func (s *Service) liveKey(id string) (model.KeyParams, error) {
	k, ok, err := s.t.Keys.LocalGet(nil, []byte(id))
	if err != nil {
		return model.KeyParams{}, err
	}
	p, live := k.Params()
	if !ok || !live {
		return model.KeyParams{}, fmt.Errorf("access key %s: %w", id, ErrNoSuchAccessKey)
	}
	return p, nil
}

// Key returns access key id, from this node's state: what SigV4
// verification needs (the secret) and the key's permissions.
func (s *Service) Key(id string) (KeyInfo, error) {
	p, err := s.liveKey(id)
	if err != nil {
		return KeyInfo{}, err
	}
	return keyInfo(id, p), nil
}

// ListKeys returns every access key, by id.
func (s *Service) ListKeys() ([]KeyInfo, error) {
	var out []KeyInfo
	err := s.t.Keys.LocalScan(nil, func(k model.Key) bool {
		if p, ok := k.Params(); ok {
			out = append(out, keyInfo(k.ID, p))
		}
		return true
	})
	return out, err
}

// FindKey returns the access key whose id is pattern, whose id starts
// with pattern, or whose name is pattern; ErrAmbiguousKey if several
// match and none exactly.
func (s *Service) FindKey(pattern string) (KeyInfo, error) {
	if k, err := s.Key(pattern); err == nil {
		return k, nil
	}
	all, err := s.ListKeys()
	if err != nil {
		return KeyInfo{}, err
	}
	var found []KeyInfo
	for _, k := range all {
		if strings.HasPrefix(k.ID, pattern) || k.Name == pattern {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return KeyInfo{}, fmt.Errorf("access key %q: %w", pattern, ErrNoSuchAccessKey)
	case 1:
		return found[0], nil
	}
	return KeyInfo{}, fmt.Errorf("access key %q: %w (%d)", pattern, ErrAmbiguousKey, len(found))
}

// CreateKey creates an access key named name, with a new id and secret.
func (s *Service) CreateKey(ctx context.Context, name string) (KeyInfo, error) {
	return s.ImportKey(ctx, model.NewKeyID(s.env.Rand), model.NewSecret(s.env.Rand), name)
}

// ImportKey creates the access key id with secret secret, named name. It
// fails with ErrKeyExists if the id was ever used (a deleted key's id
// cannot come back).
func (s *Service) ImportKey(ctx context.Context, id, secret, name string) (KeyInfo, error) {
	if err := model.CheckKeyID(id); err != nil {
		return KeyInfo{}, fmt.Errorf("%w: %w", ErrInvalidName, err)
	}
	if err := model.CheckSecret(secret); err != nil {
		return KeyInfo{}, fmt.Errorf("%w: %w", ErrInvalidName, err)
	}
	if _, ok, err := s.t.Keys.Get(ctx, nil, []byte(id)); err != nil || ok {
		if err == nil {
			err = fmt.Errorf("access key %s: %w", id, ErrKeyExists)
		}
		return KeyInfo{}, err
	}
	k := model.NewKey(id, secret, name, s.now())
	if err := s.t.Keys.Insert(ctx, k); err != nil {
		return KeyInfo{}, fmt.Errorf("create access key %s: %w", id, err)
	}
	p, _ := k.Params()
	return keyInfo(id, p), nil
}

// updateKey applies fn to this node's copy of access key id and writes
// the result.
func (s *Service) updateKey(ctx context.Context, id string, fn func(p model.KeyParams) model.KeyParams) error {
	p, err := s.liveKey(id)
	if err != nil {
		return err
	}
	if err := s.t.Keys.Insert(ctx, model.Key{ID: id, State: crdt.Present(fn(p))}); err != nil {
		return fmt.Errorf("access key %s: %w", id, err)
	}
	return nil
}

// RenameKey renames access key id.
func (s *Service) RenameKey(ctx context.Context, id, name string) error {
	return s.updateKey(ctx, id, func(p model.KeyParams) model.KeyParams {
		p.Name = p.Name.Update(s.now(), crdt.String(name))
		return p
	})
}

// SetAllowCreateBucket lets access key id create buckets, or not.
func (s *Service) SetAllowCreateBucket(ctx context.Context, id string, allow bool) error {
	return s.updateKey(ctx, id, func(p model.KeyParams) model.KeyParams {
		p.AllowCreateBucket = p.AllowCreateBucket.Update(s.now(), crdt.Bool(allow))
		return p
	})
}

// DeleteKey deletes access key id: its permissions and local aliases
// leave the buckets first, then the key.
func (s *Service) DeleteKey(ctx context.Context, id string) error {
	p, err := s.liveKey(id)
	if err != nil {
		return err
	}
	in := keyInfo(id, p)
	for _, a := range in.LocalAliases {
		err := s.updateBucket(ctx, a.Bucket, func(bp model.BucketParams) model.BucketParams {
			bp.LocalAliases = bp.LocalAliases.Set(s.now(), model.LocalAliasKey(id, a.Name), false)
			return bp
		})
		if err != nil && !isNoSuchBucket(err) {
			return err
		}
	}
	for _, b := range in.Buckets {
		if err := s.SetPermission(ctx, b.ID, id, model.Perm{}); err != nil && !isNoSuchBucket(err) {
			return err
		}
	}
	return s.t.Keys.Insert(ctx, model.Key{ID: id, State: crdt.Deleted[model.KeyParams]()})
}
