package object

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/model"
)

// AliasBucket gives bucket id the name name: a global alias if keyID is
// "", else a local alias in that access key's namespace (the key must
// have some permission on the bucket). It fails with ErrBucketExists if
// the name designates another bucket there.
func (s *Service) AliasBucket(ctx context.Context, id model.UUID, name, keyID string) error {
	if err := CheckBucketName(name); err != nil {
		return err
	}
	if _, err := s.liveBucket(id); err != nil {
		return err
	}
	if keyID == "" {
		if cur, err := s.ResolveBucket(name, ""); err == nil && cur != id {
			return fmt.Errorf("alias %q: %w", name, ErrBucketExists)
		}
		return s.setGlobalAlias(ctx, name, model.Some(id), id)
	}
	return s.aliasLocal(ctx, id, keyID, name)
}

// UnaliasBucket removes the name name of bucket id (global if keyID is
// "", else local to that key). It refuses to remove a bucket's last name.
func (s *Service) UnaliasBucket(ctx context.Context, id model.UUID, name, keyID string) error {
	p, err := s.liveBucket(id)
	if err != nil {
		return err
	}
	in := bucketInfo(id, p)
	if len(in.Aliases)+len(in.LocalAliases) <= 1 {
		return fmt.Errorf("unalias %q: %w: it is the last name of bucket %s (delete the bucket instead)", name, ErrInvalidName, id)
	}
	if keyID == "" {
		if cur, err := s.ResolveBucket(name, ""); err != nil || cur != id {
			return fmt.Errorf("unalias %q: not a global name of bucket %s: %w", name, id, ErrNoSuchBucket)
		}
		return s.setGlobalAlias(ctx, name, model.OptUUID{}, id)
	}
	return s.unaliasLocal(ctx, id, keyID, name)
}

// setGlobalAlias points global alias name to target (none to remove it)
// and records it in bucket id's aliases.
func (s *Service) setGlobalAlias(ctx context.Context, name string, target model.OptUUID, id model.UUID) error {
	a, _, err := s.t.Aliases.LocalGet(nil, []byte(name))
	if err != nil {
		return err
	}
	a.Name, a.Target = name, a.Target.Update(s.now(), target)
	if err := s.t.Aliases.Insert(ctx, a); err != nil {
		return fmt.Errorf("alias %q: %w", name, err)
	}
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.Aliases = p.Aliases.Set(s.now(), crdt.String(name), crdt.Bool(target.Set))
		return p
	})
}

func (s *Service) aliasLocal(ctx context.Context, id model.UUID, keyID, name string) error {
	k, err := s.liveKey(keyID)
	if err != nil {
		return err
	}
	if perm, _ := k.Buckets.Get(crdt.String(id.String())); !perm.Any() {
		return fmt.Errorf("local alias %q of key %s: the key has no permission on bucket %s: %w", name, keyID, id, ErrInvalidName)
	}
	if t, ok := k.LocalAliases.Get(crdt.String(name)); ok && t.Set && t.ID != id {
		return fmt.Errorf("local alias %q of key %s: %w", name, keyID, ErrBucketExists)
	}
	return s.setLocalAlias(ctx, id, keyID, name, true)
}

func (s *Service) unaliasLocal(ctx context.Context, id model.UUID, keyID, name string) error {
	k, err := s.liveKey(keyID)
	if err != nil {
		return err
	}
	if t, ok := k.LocalAliases.Get(crdt.String(name)); !ok || !t.Set || t.ID != id {
		return fmt.Errorf("unalias %q of key %s: not a name of bucket %s: %w", name, keyID, id, ErrNoSuchBucket)
	}
	return s.setLocalAlias(ctx, id, keyID, name, false)
}

// setLocalAlias writes a local alias (or its removal) in both the key and
// the bucket.
func (s *Service) setLocalAlias(ctx context.Context, id model.UUID, keyID, name string, on bool) error {
	target := model.OptUUID{}
	if on {
		target = model.Some(id)
	}
	err := s.updateKey(ctx, keyID, func(p model.KeyParams) model.KeyParams {
		p.LocalAliases = p.LocalAliases.Set(s.now(), crdt.String(name), target)
		return p
	})
	if err != nil {
		return err
	}
	return s.updateBucket(ctx, id, func(p model.BucketParams) model.BucketParams {
		p.LocalAliases = p.LocalAliases.Set(s.now(), model.LocalAliasKey(keyID, name), crdt.Bool(on))
		return p
	})
}

// SetPermission sets access key keyID's permission on bucket id, in both
// entries with one timestamp. A permission with no right removes the
// key's access.
func (s *Service) SetPermission(ctx context.Context, id model.UUID, keyID string, perm model.Perm) error {
	bp, err := s.liveBucket(id)
	if err != nil {
		return err
	}
	kp, err := s.liveKey(keyID)
	if err != nil {
		return err
	}
	br, _ := bp.Keys.Register(crdt.String(keyID))
	kr, _ := kp.Buckets.Register(crdt.String(id.String()))
	reg := crdt.NewLWW(s.stamp(max(br.Time(), kr.Time())), perm)
	kp.Buckets = kp.Buckets.Put(crdt.String(id.String()), reg)
	if err := s.t.Keys.Insert(ctx, model.Key{ID: keyID, State: crdt.Present(kp)}); err != nil {
		return fmt.Errorf("permission of key %s on bucket %s: %w", keyID, id, err)
	}
	bp.Keys = bp.Keys.Put(crdt.String(keyID), reg)
	if err := s.t.Buckets.Insert(ctx, model.Bucket{ID: id, State: crdt.Present(bp)}); err != nil {
		return fmt.Errorf("permission of key %s on bucket %s: %w", keyID, id, err)
	}
	return nil
}

// Permission returns access key keyID's permission on bucket id, from
// this node's state (none if either is unknown).
func (s *Service) Permission(keyID string, id model.UUID) model.Perm {
	k, err := s.liveKey(keyID)
	if err != nil {
		return model.Perm{}
	}
	p, _ := k.Buckets.Get(crdt.String(id.String()))
	return p
}
