package host

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Clock is the system clock: wall time from time.Now and a monotonic clock
// measured from the moment the Clock was made.
type Clock struct {
	start time.Time
}

var _ rt.Clock = (*Clock)(nil)

// NewClock returns a clock whose monotonic origin is now.
func NewClock() *Clock { return &Clock{start: time.Now()} }

// Now returns the system wall-clock time.
func (c *Clock) Now() time.Time { return time.Now() }

// Mono returns the time elapsed since the clock was made. It uses the
// monotonic reading of time.Time, so it never goes backwards when the wall
// clock is stepped.
func (c *Clock) Mono() time.Duration { return time.Since(c.start) }

// Sleep blocks for d or until ctx is done, whichever comes first; in the
// latter case it returns ctx.Err(). A non-positive d returns at once (with
// ctx.Err() if ctx is already done).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
