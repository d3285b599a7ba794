package netem

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// Conn is a net.Conn whose writes are delayed by a Shaper. Write copies the
// bytes into a send buffer and returns at once, like a socket; one
// goroutine per connection hands them to the underlying connection at
// their planned times, in order.
//
// Close flushes: it returns at once, the pending bytes still go out at
// their planned times, and the underlying connection is closed after the
// last one (as the kernel does with a socket closed with data unsent),
// held through partitions as writes are. Shaper.Close drops everything at
// once and stops the goroutine.
type Conn struct {
	net.Conn // the underlying connection: reads and addresses pass through

	s        *Shaper
	from, to string
	writeMu  sync.Mutex    // makes each Write atomic with respect to others
	wake     chan struct{} // cap 1: data queued, or closing
	space    chan struct{} // cap 1: buffer space freed, or closing
	stop     chan struct{} // closed by abort
	stopOnce sync.Once

	mu        sync.Mutex // guards the fields below
	queue     []segment
	buffered  int
	last      time.Duration // FIFO horizon: planned time of the last segment
	err       error         // sticky: the connection is broken
	closing   bool
	holding   bool // the delivery loop waits for a cut link to heal
	wDeadline time.Time
}

type segment struct {
	at   time.Duration
	data []byte
}

var _ net.Conn = (*Conn)(nil)

func newConn(s *Shaper, c net.Conn, from, to string) *Conn {
	return &Conn{
		Conn: c, s: s, from: from, to: to,
		wake:  make(chan struct{}, 1),
		space: make(chan struct{}, 1),
		stop:  make(chan struct{}),
	}
}

// Link returns the names of the nodes the connection's writes go between.
func (c *Conn) Link() (from, to string) { return c.from, c.to }

// Buffered returns how many written bytes have not yet reached the
// underlying connection.
func (c *Conn) Buffered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buffered
}

// Write queues p for delayed delivery. The whole of p is one message for
// the model (one fate, as in the simulator); its segments are released as
// the link's bandwidth would stream them, the last at the message's
// delivery time. Write blocks only while the send buffer is full, until
// the write deadline if one is set, and fails once the connection is
// closed or broken.
func (c *Conn) Write(p []byte) (int, error) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	n := min(c.s.opts.segment, len(p))
	if err := c.reserve(n); err != nil {
		return 0, c.wrap("write", err)
	}
	end, rate, err := c.s.plan(c.from, c.to, len(p))
	if err != nil {
		c.fail(err)
		return 0, c.wrap("write", err)
	}
	for done := 0; ; {
		left := Link{Bandwidth: rate}.txTime(len(p) - done - n)
		c.push(end-left, p[done:done+n])
		done += n
		if done == len(p) {
			return done, nil
		}
		n = min(c.s.opts.segment, len(p)-done)
		if err := c.reserve(n); err != nil {
			return done, c.wrap("write", err)
		}
	}
}

// reserve waits until n more bytes fit in the send buffer and counts them.
func (c *Conn) reserve(n int) error {
	for {
		ok, deadline, err := c.tryReserve(n)
		if err != nil || ok {
			return err
		}
		if err := c.waitSpace(deadline); err != nil {
			return err
		}
	}
}

// tryReserve counts n more buffered bytes if they fit (a write into an
// empty buffer always fits), else returns the write deadline to wait on.
func (c *Conn) tryReserve(n int) (bool, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.usable(); err != nil {
		return false, time.Time{}, err
	}
	if c.buffered > 0 && c.buffered+n > c.s.opts.buffer {
		return false, c.wDeadline, nil
	}
	c.buffered += n
	return true, time.Time{}, nil
}

// usable returns why the connection cannot take writes, or nil. Call with
// c.mu held.
func (c *Conn) usable() error {
	switch {
	case c.err != nil:
		return c.err
	case c.closing:
		return net.ErrClosed
	}
	return nil
}

func (c *Conn) waitSpace(deadline time.Time) error {
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		d := deadline.Sub(c.s.opts.clock.Now())
		if d <= 0 {
			return os.ErrDeadlineExceeded
		}
		t, fired := c.s.opts.clock.NewTimer(d)
		defer t.Stop()
		timeout = fired
	}
	select {
	case <-c.space:
		return nil
	case <-c.stop:
		return net.ErrClosed
	case <-timeout:
		return os.ErrDeadlineExceeded
	}
}

// push queues a copy of p to reach the underlying connection at at, or
// later if an earlier segment is planned later (a stream is FIFO).
func (c *Conn) push(at time.Duration, p []byte) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.last = max(c.last, at)
	c.queue = append(c.queue, segment{at: c.last, data: append([]byte(nil), p...)})
	c.mu.Unlock()
	signal(c.wake)
}

// pop removes the delivered head segment and frees its buffer space.
func (c *Conn) pop() {
	c.mu.Lock()
	if len(c.queue) > 0 {
		c.buffered -= len(c.queue[0].data)
		c.queue[0] = segment{}
		c.queue = c.queue[1:]
	}
	c.mu.Unlock()
	signal(c.space)
}

// fail breaks the connection with err: pending data is dropped, blocked
// writers wake up, and the underlying connection is closed.
func (c *Conn) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.queue, c.buffered = nil, 0
	c.mu.Unlock()
	signal(c.space)
	signal(c.wake)
	c.Conn.Close()
}

// abort stops the delivery goroutine and breaks the connection.
func (c *Conn) abort() {
	c.stopOnce.Do(func() { close(c.stop) })
	c.fail(net.ErrClosed)
}

// Close stops writes and lets pending data flush in the background (see
// Conn). Blocked reads and writes return net.ErrClosed. A second Close
// returns an error wrapping net.ErrClosed.
func (c *Conn) Close() error {
	c.mu.Lock()
	already, broken, idle := c.closing, c.err != nil, len(c.queue) == 0
	c.closing = true
	c.mu.Unlock()
	if already {
		return c.wrap("close", net.ErrClosed)
	}
	signal(c.wake)
	signal(c.space)
	if broken {
		return nil
	}
	if idle {
		return c.Conn.Close()
	}
	return c.Conn.SetReadDeadline(time.Unix(1, 0))
}

// Read reads from the underlying connection; after Close it fails with
// net.ErrClosed even while pending writes still flush.
func (c *Conn) Read(p []byte) (int, error) {
	if c.isClosing() {
		return 0, c.wrap("read", net.ErrClosed)
	}
	n, err := c.Conn.Read(p)
	if err != nil && c.isClosing() {
		err = c.wrap("read", net.ErrClosed)
	}
	return n, err
}

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.SetWriteDeadline(t)
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline bounds how long Write may block on a full send buffer;
// t is an instant of the shaper's clock. It does not apply to the delayed
// delivery itself.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.wDeadline = t
	c.mu.Unlock()
	signal(c.space)
	return nil
}

func (c *Conn) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

func (c *Conn) wrap(op string, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return err
	}
	return &net.OpError{Op: op, Net: "netem", Source: c.LocalAddr(), Addr: c.RemoteAddr(),
		Err: &linkError{from: c.from, to: c.to, err: err}}
}

// linkError names the shaped link of an error and keeps net.Error's
// Timeout working through the wrapping.
type linkError struct {
	from, to string
	err      error
}

func (e *linkError) Error() string { return e.from + "->" + e.to + ": " + e.err.Error() }

func (e *linkError) Unwrap() error { return e.err }

// Timeout reports whether the error is a deadline.
func (e *linkError) Timeout() bool { return errors.Is(e.err, os.ErrDeadlineExceeded) }

// signal wakes a waiter of a capacity-1 channel without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
