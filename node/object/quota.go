package object

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// quotas returns bucket's quotas from this node's state, or
// ErrNoSuchBucket.
func (s *Service) quotas(bucket model.UUID) (model.Quotas, error) {
	p, err := s.liveBucket(bucket)
	if err != nil {
		return model.Quotas{}, err
	}
	return p.Quotas.Value(), nil
}

// checkQuota fails with ErrQuotaExceeded if writing size bytes as object
// key would take bucket past its quotas, as Garage checks them: against
// the bucket's counters and the object's current version, read at once
// (one quorum round trip, and none for a bucket without quotas).
func (s *Service) checkQuota(ctx context.Context, bucket model.UUID, key string, q model.Quotas, size uint64) error {
	if q == (model.Quotas{}) {
		return nil
	}
	counts := rt.Go(s.env.Tasks, "object-quota-counts", func(ctx context.Context) (model.Counts, error) {
		return s.t.Counts(ctx, bucket)
	})
	o, _, err := s.t.Objects.Get(ctx, bucket[:], []byte(key))
	if err != nil {
		return fmt.Errorf("quota of bucket %s: %w", bucket, err)
	}
	c, err := counts.Wait(ctx)
	if err != nil {
		return fmt.Errorf("quota of bucket %s: %w", bucket, err)
	}
	var prevObjects, prevSize uint64
	if v, ok := o.Visible(); ok {
		prevObjects, prevSize = 1, v.State.Meta.Size
	}
	if q.MaxObjects > 0 && prevObjects == 0 && uint64(max(c.Objects, 0))+1 > q.MaxObjects {
		return fmt.Errorf("bucket %s holds %d objects, at most %d: %w", bucket, c.Objects, q.MaxObjects, ErrQuotaExceeded)
	}
	if q.MaxSize > 0 && size > prevSize && uint64(max(c.Bytes, 0))+size-prevSize > q.MaxSize {
		return fmt.Errorf("bucket %s holds %d bytes, at most %d: %w", bucket, c.Bytes, q.MaxSize, ErrQuotaExceeded)
	}
	return nil
}
