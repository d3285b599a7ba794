package netem

import "time"

// alarm is the timer a delivery loop sleeps on, and its channel.
type alarm struct {
	Timer
	C <-chan time.Time
}

// run is the delivery goroutine of c: it hands each queued segment to the
// underlying connection at its planned time, holding it while a partition
// cuts the link, until the connection is closed and drained, broken or
// aborted.
func (c *Conn) run() {
	defer c.s.wg.Done()
	defer c.s.forget(c)
	var a alarm
	a.Timer, a.C = c.s.opts.clock.NewTimer(time.Hour)
	a.Stop()
	for {
		seg, ok := c.head()
		if !ok || !c.sleepUntil(a, seg.at) || !c.awaitLink(a) {
			return
		}
		if _, err := c.Conn.Write(seg.data); err != nil {
			c.fail(err)
			return
		}
		c.pop()
	}
}

// head waits for the next segment. It returns false when there will be
// none: the connection is broken, aborted, or closed with nothing left (it
// then closes the underlying connection).
func (c *Conn) head() (segment, bool) {
	for {
		c.mu.Lock()
		broken, closing, n := c.err != nil, c.closing, len(c.queue)
		var seg segment
		if n > 0 {
			seg = c.queue[0]
		}
		c.mu.Unlock()
		switch {
		case broken:
			return segment{}, false
		case n > 0:
			return seg, true
		case closing:
			c.Conn.Close()
			return segment{}, false
		}
		select {
		case <-c.wake:
		case <-c.stop:
			return segment{}, false
		}
	}
}

// sleepUntil waits until the shaper's time at; false means aborted. The
// timer is armed early by the shaper's learnt timer lateness, so that
// deliveries are on time on average rather than always late.
func (c *Conn) sleepUntil(a alarm, at time.Duration) bool {
	d := c.s.when(at - c.s.slack()).Sub(c.s.opts.clock.Now())
	if d <= 0 {
		select {
		case <-c.stop:
			return false
		default:
			return true
		}
	}
	a.Reset(d)
	select {
	case <-a.C:
		c.s.learn(c.s.opts.clock.Now().Sub(c.s.when(at)))
		return true
	case <-c.stop:
		a.Stop()
		return false
	}
}

// awaitLink returns true once the link is reachable. While it is cut, it
// breaks the connection (PartitionFail mode) or holds the data, even after
// Close, until a model change heals the link, then waits one one-way
// latency more. False means the connection is done.
func (c *Conn) awaitLink(a alarm) bool {
	held := false
	for {
		ok, changed, latency := c.s.link(c.from, c.to)
		switch {
		case ok && !held:
			return true
		case ok:
			held = false
			if !c.sleepUntil(a, c.s.now()+latency) {
				return false
			}
			continue
		case c.s.opts.mode == PartitionFail:
			c.fail(ErrPartitioned)
			return false
		}
		held = true
		c.setHolding(true)
		select {
		case <-changed:
		case <-c.stop:
			return false
		}
		c.setHolding(false)
	}
}

// setHolding records whether the delivery loop waits for a cut link to
// heal, so that a test driving a fake clock knows when the loop is parked.
func (c *Conn) setHolding(h bool) {
	c.mu.Lock()
	c.holding = h
	c.mu.Unlock()
}

// isHolding reports whether the delivery loop waits for a cut link to heal.
func (c *Conn) isHolding() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.holding
}
