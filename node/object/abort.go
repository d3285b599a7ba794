package object

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/model"
)

// abortLoop aborts stale uploads every AbortInterval.
func (s *Service) abortLoop(ctx context.Context) {
	for s.env.Clock.Sleep(ctx, s.cfg.AbortInterval) == nil {
		if _, err := s.AbortStale(ctx); err != nil && ctx.Err() == nil {
			s.env.Log.Info("abort of stale uploads failed", "err", err)
		}
	}
}

// AbortStale aborts the versions this node stores that have been
// uploading (outside multipart uploads) for longer than UploadTimeout:
// those whose coordinator crashed or was cut off. Since a completion is
// final (model.VersionState.Merge) and an abort deletes the version's
// blocks, a version is aborted only once every replica answered and none
// holds it complete; otherwise it is left for the next round (a replica
// that holds it complete repairs the others through the read). It
// returns how many versions it aborted.
func (s *Service) AbortStale(ctx context.Context) (int, error) {
	cutoff := s.env.Clock.Now().Add(-s.cfg.UploadTimeout).UnixMilli()
	if cutoff <= 0 {
		return 0, nil
	}
	stale, err := s.t.StaleUploads(uint64(cutoff), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, up := range stale {
		done, err := s.abortStale(ctx, up)
		if err != nil {
			errs = append(errs, err)
		}
		if done {
			n++
		}
	}
	return n, errors.Join(errs...)
}

func (s *Service) abortStale(ctx context.Context, up model.StaleUpload) (bool, error) {
	o, _, err := s.t.Objects.GetAll(ctx, up.Bucket[:], []byte(up.Key))
	if err != nil {
		return false, fmt.Errorf("stale upload %s/%s: %w", up.Bucket, up.Key, err)
	}
	v, ok := o.Version(up.UUID)
	if !ok || v.State.Kind != model.Uploading {
		return false, nil // completed, aborted or dropped: the read repairs this node's index
	}
	s.env.Log.Info("aborting a stale upload", "bucket", up.Bucket, "key", up.Key, "version", up.UUID,
		"age", time.Duration(s.now()-up.TS)*time.Millisecond)
	if err := s.t.Objects.Insert(ctx, model.NewObject(up.Bucket, up.Key, aborted(v))); err != nil {
		return false, fmt.Errorf("stale upload %s/%s: %w", up.Bucket, up.Key, err)
	}
	return true, nil
}
