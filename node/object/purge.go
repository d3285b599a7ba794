package object

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/table"
)

// maxBlockUsers bounds the references of one block read at once.
const maxBlockUsers = 10000

// BlockUser is a version that references a block: what `garage block
// info` lists.
type BlockUser struct {
	Version    model.UUID
	RefDeleted bool // the reference itself is deleted
	// Found is whether the version exists; Deleted whether it is deleted;
	// Link, if found, what it belongs to.
	Found, Deleted bool
	Link           model.Backlink
}

// BlockUsers returns the references of block h and what their versions
// are, read from quorums.
func (s *Service) BlockUsers(ctx context.Context, h block.Hash) ([]BlockUser, error) {
	refs, err := s.t.BlockRefs.GetRange(ctx, h[:], nil, table.Filter{}, maxBlockUsers, false)
	if err != nil {
		return nil, fmt.Errorf("references of block %s: %w", h, err)
	}
	out := make([]BlockUser, 0, len(refs))
	for _, r := range refs {
		u := BlockUser{Version: r.Version, RefDeleted: bool(r.Deleted)}
		v, ok, err := s.t.Versions.Get(ctx, r.Version[:], nil)
		if err != nil {
			return out, fmt.Errorf("block %s: version %s: %w", h, r.Version, err)
		}
		u.Found, u.Deleted, u.Link = ok, bool(v.Deleted), v.Backlink.V
		out = append(out, u)
	}
	return out, nil
}

// PurgeCount is what PurgeBlock deleted.
type PurgeCount struct {
	Objects  int // object versions replaced by a delete marker or aborted
	Uploads  int // multipart uploads aborted
	Versions int // version entries deleted
	Refs     int // block references deleted
}

// PurgeBlock gives up on block h, as Garage's `block purge`: every object
// whose current version uses it gets a delete marker just after that
// version (a newer write wins over it), every upload in progress using it
// is aborted, and the versions and references are deleted, so that
// nothing points at the block any more. It is for blocks no node can
// provide; the data of those objects is lost.
func (s *Service) PurgeBlock(ctx context.Context, h block.Hash) (PurgeCount, error) {
	var c PurgeCount
	users, err := s.BlockUsers(ctx, h)
	if err != nil {
		return c, err
	}
	var errs []error
	for _, u := range users {
		if err := s.purgeUser(ctx, h, u, &c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

func (s *Service) purgeUser(ctx context.Context, h block.Hash, u BlockUser, c *PurgeCount) error {
	if u.Found && !u.Deleted {
		if err := s.purgeOwner(ctx, u.Version, u.Link, c); err != nil {
			return err
		}
		if err := s.t.Versions.Insert(ctx, model.DeletedVersion(u.Version, u.Link)); err != nil {
			return fmt.Errorf("purge: delete version %s: %w", u.Version, err)
		}
		c.Versions++
	}
	if u.RefDeleted {
		return nil
	}
	if err := s.t.BlockRefs.Insert(ctx, model.BlockRef{Block: h, Version: u.Version, Deleted: true}); err != nil {
		return fmt.Errorf("purge: delete reference by %s: %w", u.Version, err)
	}
	c.Refs++
	return nil
}

// purgeOwner removes version u from what link names: an object version
// or an upload.
func (s *Service) purgeOwner(ctx context.Context, u model.UUID, link model.Backlink, c *PurgeCount) error {
	if link.Upload {
		return s.purgeUpload(ctx, link.ID, c)
	}
	o, ok, err := s.t.Objects.Get(ctx, link.Bucket[:], []byte(link.Key))
	if err != nil || !ok {
		return err
	}
	v, found := o.Version(u)
	switch {
	case !found:
		return nil
	case v.State.Kind == model.Uploading && v.State.Multipart:
		return s.purgeUpload(ctx, u, c)
	case v.State.Kind == model.Uploading:
		err = s.t.Objects.Insert(ctx, model.NewObject(link.Bucket, link.Key, aborted(v)))
	case v.State.Kind == model.Complete:
		marker := model.ObjectVersion{UUID: model.NewUUID(s.env.Rand), TS: v.TS + 1,
			State: model.VersionState{Kind: model.Complete, Data: model.DeleteMarker}}
		err = s.t.Objects.Insert(ctx, model.NewObject(link.Bucket, link.Key, marker))
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("purge: object %s/%s: %w", link.Bucket, link.Key, err)
	}
	c.Objects++
	return nil
}

// purgeUpload aborts multipart upload id: its object version and its
// entry (whose hook deletes its parts' versions).
func (s *Service) purgeUpload(ctx context.Context, id model.UUID, c *PurgeCount) error {
	m, ok, err := s.t.MPUs.Get(ctx, id[:], nil)
	if err != nil || !ok || bool(m.Deleted) {
		return err
	}
	head := m.Head.V
	v := model.ObjectVersion{UUID: id, TS: head.TS, State: model.VersionState{Kind: model.Aborted}}
	if err := s.t.Objects.Insert(ctx, model.NewObject(head.Bucket, head.Key, v)); err != nil {
		return fmt.Errorf("purge: abort upload %s: %w", id, err)
	}
	tomb := model.NewMPU(id, head.TS, head.Bucket, head.Key)
	tomb.Deleted = true
	if err := s.t.MPUs.Insert(ctx, tomb); err != nil {
		return fmt.Errorf("purge: delete upload %s: %w", id, err)
	}
	c.Uploads++
	return nil
}
