package netem

import (
	"net"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when the test advances it. Timers
// fire during advanceTo, so a delivery released by a timer happens with
// the clock standing exactly at the timer's deadline.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*fakeTimer]struct{} // armed
}

var _ Clock = (*fakeClock)(nil)

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), timers: map[*fakeTimer]struct{}{}}
}

// Now returns the instant the test last advanced the clock to.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer arms a timer for d from now.
func (c *fakeClock) NewTimer(d time.Duration) (Timer, <-chan time.Time) {
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t, t.ch
}

// advanceTo moves the clock to at and fires every timer due by then.
func (c *fakeClock) advanceTo(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.Before(c.now) {
		panic("fakeClock: advancing into the past")
	}
	c.now = at
	for t := range c.timers {
		if !t.at.After(at) {
			delete(c.timers, t)
			t.ch <- at
		}
	}
}

// next returns how many timers are armed and the earliest deadline.
func (c *fakeClock) next() (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first time.Time
	for t := range c.timers {
		if first.IsZero() || t.at.Before(first) {
			first = t.at
		}
	}
	return len(c.timers), first
}

// fakeTimer is a timer of a fakeClock.
type fakeTimer struct {
	c  *fakeClock
	ch chan time.Time
	at time.Time // deadline while armed
}

// Reset rearms t for d from the clock's now; d <= 0 fires at once.
func (t *fakeTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	armed := t.disarm()
	t.at = t.c.now.Add(d)
	if d <= 0 {
		t.ch <- t.c.now
	} else {
		t.c.timers[t] = struct{}{}
	}
	return armed
}

// Stop disarms t.
func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.disarm()
}

// disarm removes t from the armed timers and drops a value it sent but
// nobody received, as time.Timer does. Call with t.c.mu held.
func (t *fakeTimer) disarm() bool {
	_, armed := t.c.timers[t]
	delete(t.c.timers, t)
	select {
	case <-t.ch:
	default:
	}
	return armed
}

// await polls cond until it holds, failing t after 10 s of real time: a
// bound on progress, not a timing assertion.
func await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// tap is the underlying connection of a shaped one in fake-clock tests: it
// records each piece of data handed to it and the shaper time (fake clock
// minus the shaper's start) at which it came.
type tap struct {
	net.Conn // one end of a pipe, for addresses and read deadlines
	clk      *fakeClock
	start    time.Time

	mu     sync.Mutex
	got    []arrival
	closed bool
}

// arrival is one write that reached a tap.
type arrival struct {
	at   time.Duration
	data string
}

func newTap(t *testing.T, clk *fakeClock) *tap {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return &tap{Conn: a, clk: clk, start: clk.Now()}
}

// Write records p at the clock's current time.
func (tp *tap) Write(p []byte) (int, error) {
	at := tp.clk.Now().Sub(tp.start)
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.got = append(tp.got, arrival{at: at, data: string(p)})
	return len(p), nil
}

// Close records that the shaper closed the connection.
func (tp *tap) Close() error {
	tp.mu.Lock()
	tp.closed = true
	tp.mu.Unlock()
	return tp.Conn.Close()
}

// arrivals returns a copy of what reached the tap so far.
func (tp *tap) arrivals() []arrival {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]arrival(nil), tp.got...)
}

// bytes returns how many bytes reached the tap.
func (tp *tap) bytes() int {
	n := 0
	for _, a := range tp.arrivals() {
		n += len(a.data)
	}
	return n
}

func (tp *tap) isClosed() bool {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.closed
}

// fakeShaped returns a shaper on a fake clock over the two-node model a, b
// (zones x, y) that set builds, seeded with 1, and a connection shaped a->b
// over a tap. The clock and the shaper start at the same instant.
func fakeShaped(t *testing.T, set func(m *Model), opts ...ShaperOption) (*Shaper, *fakeClock, *Conn, *tap) {
	t.Helper()
	m := pair("x", "y")
	set(m)
	clk := newFakeClock()
	s := NewShaper(m, 1, append(opts, WithClock(clk))...)
	t.Cleanup(func() { s.Close() })
	tp := newTap(t, clk)
	c, err := s.Wrap(tp, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, c, tp
}

// release runs the clock until the tap has received n bytes: whenever the
// delivery loop sleeps on its timer (a single connection arms at most
// one), the clock jumps to that timer's deadline.
func release(t *testing.T, clk *fakeClock, tp *tap, n int) {
	t.Helper()
	for tp.bytes() < n {
		await(t, "the delivery loop arms its timer", func() bool {
			armed, _ := clk.next()
			return armed > 0 || tp.bytes() >= n
		})
		if armed, at := clk.next(); armed > 0 {
			clk.advanceTo(at)
		}
	}
}
