package object

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/table"
)

// Garage's `repair versions` and `repair block-refs`: passes over this
// node's replica of the version and block_ref tables that delete what
// nothing references any more. The hooks of node/model delete most of it
// as it happens; these passes catch what slipped through, such as a block
// reference written after its version was deleted (a Put whose version
// write reached no replica but whose reference write did), which would
// otherwise keep its block forever.

// repairPage is the number of local entries a repair pass reads at once.
const repairPage = 100

// DefaultRepairGrace is how long RepairBlockRefs waits before it deletes
// a reference whose version no replica holds: a version write of a Put in
// flight ends (or fails) within its RPC timeouts, long before.
const DefaultRepairGrace = time.Minute

// RepairCount is the progress of a repair pass.
type RepairCount struct {
	Checked uint64 // live entries checked
	Deleted uint64 // entries found unreferenced and deleted
	Failed  uint64 // entries whose check or deletion failed (left as they are)
	// LastError is the last failure's message.
	LastError string
}

func (c *RepairCount) fail(err error) {
	c.Failed++
	c.LastError = err.Error()
}

// RepairOptions tune a repair pass. Zero fields take the defaults.
type RepairOptions struct {
	// Progress, if set, is called after every page of entries.
	Progress func(RepairCount)
	// Grace is RepairBlockRefs' wait before it deletes references whose
	// version is missing (DefaultRepairGrace).
	Grace time.Duration
}

// RepairVersions deletes the versions of this node's replica that their
// object (or, for a part, their multipart upload) no longer has: an
// object version neither present nor aborted in the object, a part of an
// upload that is gone or finished. The object and upload are read from a
// quorum; an entry whose read fails is left for the next pass. Deleting a
// version deletes its block references through the hooks.
func (s *Service) RepairVersions(ctx context.Context, o RepairOptions) (RepairCount, error) {
	var c RepairCount
	err := walkLocal(ctx, s.t.Versions, o, &c, func(v model.Version) {
		if v.Deleted {
			return
		}
		c.Checked++
		live, err := s.versionLive(ctx, v)
		switch {
		case err != nil:
			c.fail(err)
		case !live:
			if err := s.t.Versions.Insert(ctx, model.DeletedVersion(v.UUID, v.Backlink.V)); err != nil {
				c.fail(fmt.Errorf("delete version %s: %w", v.UUID, err))
				return
			}
			c.Deleted++
		}
	})
	return c, err
}

// versionLive reports whether what v's backlink names still has v.
func (s *Service) versionLive(ctx context.Context, v model.Version) (bool, error) {
	link := v.Backlink.V
	if link.Upload {
		m, ok, err := s.t.MPUs.Get(ctx, link.ID[:], nil)
		if err != nil {
			return true, fmt.Errorf("version %s: read upload %s: %w", v.UUID, link.ID, err)
		}
		return ok && !bool(m.Deleted), nil
	}
	o, ok, err := s.t.Objects.Get(ctx, link.Bucket[:], []byte(link.Key))
	if err != nil {
		return true, fmt.Errorf("version %s: read object %s/%s: %w", v.UUID, link.Bucket, link.Key, err)
	}
	ov, found := o.Version(v.UUID)
	return ok && found && ov.State.Kind != model.Aborted, nil
}

// RepairBlockRefs deletes the block references of this node's replica
// whose version is deleted, so that their blocks can be collected. A
// reference whose version no replica holds at all is deleted only if it
// is still so after o.Grace (its version's write may be in flight).
func (s *Service) RepairBlockRefs(ctx context.Context, o RepairOptions) (RepairCount, error) {
	var c RepairCount
	var missing []model.BlockRef
	err := walkLocal(ctx, s.t.BlockRefs, o, &c, func(r model.BlockRef) {
		if r.Deleted {
			return
		}
		c.Checked++
		switch state, err := s.refVersion(ctx, r); {
		case err != nil:
			c.fail(err)
		case state == versionDeleted:
			s.deleteRef(ctx, r, &c)
		case state == versionMissing:
			missing = append(missing, r)
		}
	})
	if err != nil || len(missing) == 0 {
		return c, err
	}
	return c, s.deleteMissing(ctx, missing, o, &c)
}

// deleteMissing deletes the references of missing whose version is still
// missing after o.Grace.
func (s *Service) deleteMissing(ctx context.Context, missing []model.BlockRef, o RepairOptions, c *RepairCount) error {
	grace := o.Grace
	if grace <= 0 {
		grace = DefaultRepairGrace
	}
	if err := s.env.Clock.Sleep(ctx, grace); err != nil {
		return err
	}
	for _, r := range missing {
		if state, err := s.refVersion(ctx, r); err != nil {
			c.fail(err)
		} else if state != versionLive {
			s.deleteRef(ctx, r, c)
		}
	}
	if o.Progress != nil {
		o.Progress(*c)
	}
	return nil
}

type versionState int

const (
	versionLive versionState = iota
	versionDeleted
	versionMissing
)

// refVersion reads r's version from a quorum.
func (s *Service) refVersion(ctx context.Context, r model.BlockRef) (versionState, error) {
	v, ok, err := s.t.Versions.Get(ctx, r.Version[:], nil)
	switch {
	case err != nil:
		return versionLive, fmt.Errorf("reference of block %s: read version %s: %w", r.Block, r.Version, err)
	case !ok:
		return versionMissing, nil
	case bool(v.Deleted):
		return versionDeleted, nil
	}
	return versionLive, nil
}

func (s *Service) deleteRef(ctx context.Context, r model.BlockRef, c *RepairCount) {
	r.Deleted = true
	if err := s.t.BlockRefs.Insert(ctx, r); err != nil {
		c.fail(fmt.Errorf("delete reference of block %s by version %s: %w", r.Block, r.Version, err))
		return
	}
	c.Deleted++
}

// walkLocal calls fn with every entry of this node's replica of t, a page at
// a time, reporting progress after each page, until the end or ctx ends.
func walkLocal[E table.Entry[E]](ctx context.Context, t *table.Table[E], o RepairOptions, c *RepairCount, fn func(E)) error {
	var after []byte
	for {
		page, next, err := t.LocalPage(after, repairPage)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(e)
		}
		if o.Progress != nil {
			o.Progress(*c)
		}
		if next == nil {
			return nil
		}
		after = next
	}
}
