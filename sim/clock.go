package sim

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Epoch returns the wall-clock time of virtual time zero for a clock
// without offset or drift: 2026-01-01 00:00 UTC.
func Epoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// ClockCtl controls one node's wall clock. The node reads
// Now() = Epoch + vtime + drift·(vtime − since) + offset, where drift is in
// parts per million; its monotonic clock (Mono, Sleep) is virtual time,
// never skewed. A ClockCtl survives restarts, as a machine's clock does.
type ClockCtl struct {
	w      *World
	offset time.Duration // includes the drift accumulated before since
	ppm    float64
	since  time.Duration
}

func newClockCtl(w *World) *ClockCtl { return &ClockCtl{w: w} }

// Clock returns the control of node id's wall clock.
func (w *World) Clock(id rt.NodeID) *ClockCtl { return w.mustNode(id).clock }

// Now returns the node's wall-clock reading at the current virtual time.
func (c *ClockCtl) Now() time.Time { return Epoch().Add(c.w.now + c.skew()) }

// Skew returns how far the node's wall clock is from true (virtual) time.
func (c *ClockCtl) Skew() time.Duration { return c.skew() }

func (c *ClockCtl) skew() time.Duration {
	return c.offset + time.Duration(float64(c.w.now-c.since)*c.ppm/1e6)
}

// SetOffset sets the clock's distance from true time to d, keeping drift.
func (c *ClockCtl) SetOffset(d time.Duration) {
	c.offset, c.since = d, c.w.now
}

// Step jumps the clock by d (negative: backwards), as an NTP step does.
func (c *ClockCtl) Step(d time.Duration) { c.SetOffset(c.skew() + d) }

// SetDrift makes the clock run ppm parts per million fast (negative: slow)
// from now on, without a jump.
func (c *ClockCtl) SetDrift(ppm float64) {
	c.offset, c.since, c.ppm = c.skew(), c.w.now, ppm
}

// clockPort is the sim rt.Clock of a node.
type clockPort struct {
	w *World
	c *ClockCtl
}

var _ rt.Clock = (*clockPort)(nil)

// Now is the node's skewed wall clock.
func (p *clockPort) Now() time.Time { return p.c.Now() }

// Mono is virtual time.
func (p *clockPort) Mono() time.Duration { return p.w.now }

// Sleep parks the task for d of virtual time, or until ctx is done. A
// non-positive d still yields to the scheduler.
func (p *clockPort) Sleep(ctx context.Context, d time.Duration) error {
	return p.w.sleep(ctx, d)
}

func (w *World) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wk := w.prepare("Clock.Sleep")
	if d <= 0 {
		w.yield()
		return ctx.Err()
	}
	tm := &wk.t.sleep
	w.arm(tm, d, nil, wk)
	cw := w.watch(ctx, wk)
	w.park(kindSleep, false)
	cw.stop()
	if w.stop(tm) {
		return ctx.Err()
	}
	return nil
}

// Sleep parks the calling world task for d of virtual time or until ctx is
// done, for workload and nemesis code.
func (w *World) Sleep(ctx context.Context, d time.Duration) error { return w.sleep(ctx, d) }
