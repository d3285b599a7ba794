package s3

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3/lifecycle"
)

// LifecycleStats counts what a lifecycle pass did.
type LifecycleStats struct {
	Buckets, Expired, Aborted int
}

// lifecyclePage is how many objects or uploads a pass reads at once.
const lifecyclePage = 1000

// LifecyclePass applies the lifecycle rules of every bucket at time now:
// it deletes the objects a rule expires and aborts the uploads a rule
// aborts. It stops at the first error, or when ctx ends.
func (s *Service) LifecyclePass(ctx context.Context, now time.Time) (LifecycleStats, error) {
	var st LifecycleStats
	bs, err := s.store.AllBuckets(ctx)
	if err != nil {
		return st, fmt.Errorf("lifecycle: list buckets: %w", err)
	}
	for _, b := range bs {
		if b.Lifecycle == nil {
			continue
		}
		st.Buckets++
		if err := s.expireObjects(ctx, b, now, &st); err != nil {
			return st, err
		}
		if err := s.abortUploads(ctx, b, now, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (s *Service) expireObjects(ctx context.Context, b Bucket, now time.Time, st *LifecycleStats) error {
	q := ListQuery{Max: lifecyclePage}
	for {
		page, err := s.store.List(ctx, b.ID, q)
		if err != nil {
			return fmt.Errorf("lifecycle: list bucket %s: %w", b.ID, err)
		}
		for _, o := range page.Objects {
			obj := lifecycle.Object{Key: o.Key, Size: o.Size, Created: o.Modified}
			if lifecycle.ExpiringRule(*b.Lifecycle, obj, now) == nil {
				continue
			}
			if _, err := s.store.Delete(ctx, b.ID, o.Key); err != nil {
				return fmt.Errorf("lifecycle: expire %s in %s: %w", o.Key, b.ID, err)
			}
			st.Expired++
		}
		if !page.Truncated {
			return nil
		}
		q.Token = page.Next
	}
}

func (s *Service) abortUploads(ctx context.Context, b Bucket, now time.Time, st *LifecycleStats) error {
	q := UploadQuery{Max: lifecyclePage}
	for {
		page, err := s.store.ListUploads(ctx, b.ID, q)
		if err != nil {
			return fmt.Errorf("lifecycle: list uploads of %s: %w", b.ID, err)
		}
		for _, u := range page.Uploads {
			if lifecycle.AbortingRule(*b.Lifecycle, u.Key, u.Initiated, now) == nil {
				continue
			}
			if err := s.store.AbortUpload(ctx, u); err != nil {
				return fmt.Errorf("lifecycle: abort upload %s of %s: %w", u.ID, u.Key, err)
			}
			st.Aborted++
		}
		if !page.Truncated {
			return nil
		}
		q.KeyMarker, q.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// StartLifecycle starts the daily lifecycle worker as a task of tasks: a
// pass just after every midnight UTC of the node's clock, retried an
// hour later after a failure.
func (s *Service) StartLifecycle(tasks rt.Tasks) {
	tasks.Spawn("s3-lifecycle", func(ctx context.Context) {
		wait := untilMidnight(s.clock.Now())
		for s.clock.Sleep(ctx, wait) == nil {
			st, err := s.LifecyclePass(ctx, s.clock.Now())
			if err != nil {
				s.log.Warn("lifecycle pass failed", "err", err, "expired", st.Expired, "aborted", st.Aborted)
				wait = time.Hour
				continue
			}
			s.log.Info("lifecycle pass done", "buckets", st.Buckets, "expired", st.Expired, "aborted", st.Aborted)
			wait = untilMidnight(s.clock.Now())
		}
	})
}

// untilMidnight returns the time from now to the next midnight UTC (a
// minute past it, so that day counts have turned).
func untilMidnight(now time.Time) time.Duration {
	next := now.UTC().Truncate(24 * time.Hour).Add(24*time.Hour + time.Minute)
	return next.Sub(now)
}
